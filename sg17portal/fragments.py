"""``{% fragment_cache %}``: Django's ``{% cache %}`` for the parts of signed-in pages that hold forms.

A fragment with forms holds the viewer's CSRF token, which belongs to one browser: stored as rendered, it would be
served to the next request with a token that is not its own (and its forms refused), or to another session. Inside
this tag every ``{% csrf_token %}`` (and every ``CsrfTokenNode`` a tag renders) writes a placeholder instead; the
fragment is stored with the placeholder, and each request gets it with its own token put in its place. The same goes
for ``{% current_path %}``, the address of the request with its query (a form's "come back here" field): a fragment
keyed on the page, not on its every query, gets each request's own.

    {% fragment_cache timeout name vary_on... %} ... {% endfragment_cache %}

The arguments are those of ``{% cache %}``: a timeout in seconds (0 renders it every time, stores nothing), the
fragment's name, and every value the fragment depends on. Which values those are is the page's business: the
viewer where the fragment is theirs alone, the language, the version of the data it shows
(``sg17portal.pagecache.fragments_version``).
"""

from django import template
from django.conf import settings
from django.core.cache.utils import make_template_fragment_key
from django.templatetags.cache import CacheNode
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from . import pagecache

register = template.Library()

# Written where the token and the address go; letters only, as a token is, so escaping leaves them as they are.
TOKEN_PLACEHOLDER = "csrfTokenOfTheRequestGoesHereQv7Rk2Wm"
PATH_PLACEHOLDER = "addressOfTheRequestGoesHereJx4Tn8Pd"
# Set in the context while a fragment is rendered to be stored.
_STORING = "_fragment_cache_storing"


class FragmentCacheNode(CacheNode):
    def render(self, context):
        token = context.get("csrf_token")
        with context.push({"csrf_token": TOKEN_PLACEHOLDER, _STORING: True}):
            html = self._brought(context)
            if html is None:
                html = super().render(context)
        if TOKEN_PLACEHOLDER in html:
            # The value was escaped once already as the placeholder; a token is letters and digits only.
            html = mark_safe(html.replace(TOKEN_PLACEHOLDER, str(token or "")))  # noqa: S308
        if PATH_PLACEHOLDER in html:
            html = mark_safe(html.replace(PATH_PLACEHOLDER, conditional_escape(_full_path(context))))  # noqa: S308
        return html

    def _brought(self, context):
        """The fragment as the request's first cache read brought it along (``pagecache.bring_along``: the header,
        see ``context_processors.header_fragment_key``), or None: then it is read, or rendered, as Django does."""
        # Nothing brought (most fragments, most requests), or not the page cache's own: no key worked out twice.
        if not pagecache.anything_brought() or "template_fragments" in settings.CACHES:
            return None
        key = make_template_fragment_key(self.fragment_name, [var.resolve(context) for var in self.vary_on])
        brought = pagecache.take_brought(key)
        return None if brought is pagecache.NOT_BROUGHT else brought


def _full_path(context) -> str:
    request = context.get("request")
    return request.get_full_path() if request is not None else ""


@register.simple_tag(takes_context=True)
def current_path(context):
    """The address of the request with its query, escaped; inside ``{% fragment_cache %}``, the request's own (and
    nothing where a template is rendered without a request)."""
    if context.get(_STORING):
        return PATH_PLACEHOLDER
    return _full_path(context)


@register.tag("fragment_cache")
def do_fragment_cache(parser, token):
    nodelist = parser.parse(("endfragment_cache",))
    parser.delete_first_token()
    tokens = token.split_contents()
    if len(tokens) < 3:
        raise template.TemplateSyntaxError(f"'{tokens[0]}' tag requires at least 2 arguments.")
    return FragmentCacheNode(
        nodelist,
        parser.compile_filter(tokens[1]),
        tokens[2],
        [parser.compile_filter(t) for t in tokens[3:]],
        None,
    )
