"""The page's cached fragments: ``{% cache %}``, read together, and ``{% fragment_cache %}`` for those that hold
forms.

``{% load fragments %}`` gives Django's ``{% cache %}`` with one change: the fragments of a page are read from the
cache in one round trip, not one each (``PageFragmentNode``).

``{% fragment_cache %}`` is the same for the parts of signed-in pages that hold forms.

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

import contextlib
import weakref

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.template import TemplateSyntaxError, VariableDoesNotExist
from django.templatetags import cache as django_cache
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


class PageFragmentNode(CacheNode):
    """Django's ``{% cache %}`` node, reading a page's fragments together.

    The first fragment of a template to render reads, in the same round trip as its own, the fragments after it
    whose keys it can work out already (their values as the context holds them then); each of them takes what was
    read when its turn comes. A fragment whose key could not be worked out then, or came out otherwise (a value
    the template sets between the two, a loop's), reads itself as Django's does. So does one in an included
    template. A fragment the request's first read brought along (the header's: ``pagecache.bring_along``) takes
    it from there. A fragment of another cache (``using=``, or a ``template_fragments`` cache) is Django's."""

    def render(self, context):
        if self.cache_name is not None or "template_fragments" in settings.CACHES:
            return super().render(context)
        timeout = self._timeout(context)
        key = self.key(context)
        html = pagecache.take_brought(key)
        if html is pagecache.NOT_BROUGHT:
            html = pagecache.read_ahead(key, self._keys_after(context))
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, timeout)
        return html

    def key(self, context) -> str:
        return make_template_fragment_key(self.fragment_name, [var.resolve(context) for var in self.vary_on])

    def _timeout(self, context):
        """The timeout in seconds, checked as Django's tag checks it."""
        try:
            timeout = self.expire_time_var.resolve(context)
        except VariableDoesNotExist:
            raise TemplateSyntaxError(f'"cache" tag got an unknown variable: {self.expire_time_var.var!r}') from None
        if timeout is None:
            return None
        try:
            return int(timeout)
        except (ValueError, TypeError):
            raise TemplateSyntaxError(f'"cache" tag got a non-integer timeout value: {timeout!r}') from None

    def _keys_after(self, context) -> list[str]:
        keys = []
        for node in _fragments_after(context.template, self):
            # A value it cannot resolve yet: that fragment reads itself when its turn comes, and says so then.
            with contextlib.suppress(Exception):
                keys.append(node.key(context))
        return keys


# The page's fragments of each template, in their order (worked out once per compiled template).
_FRAGMENTS_OF: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _fragments_after(template, node) -> list[PageFragmentNode]:
    """The fragments of ``template`` (blocks included, included templates not) after ``node``; none if ``node`` is
    not one of them."""
    if template is None:
        return []
    fragments = _FRAGMENTS_OF.get(template)
    if fragments is None:
        fragments = _FRAGMENTS_OF[template] = [
            found for found in template.nodelist.get_nodes_by_type(PageFragmentNode) if found.cache_name is None
        ]
    return fragments[fragments.index(node) + 1 :] if node in fragments else []


class FragmentCacheNode(PageFragmentNode):
    def render(self, context):
        token = context.get("csrf_token")
        with context.push({"csrf_token": TOKEN_PLACEHOLDER, _STORING: True}):
            html = super().render(context)
        if TOKEN_PLACEHOLDER in html:
            # The value was escaped once already as the placeholder; a token is letters and digits only.
            html = mark_safe(html.replace(TOKEN_PLACEHOLDER, str(token or "")))  # noqa: S308
        if PATH_PLACEHOLDER in html:
            html = mark_safe(html.replace(PATH_PLACEHOLDER, conditional_escape(_full_path(context))))  # noqa: S308
        return html


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


@register.tag("cache")
def do_cache(parser, token):
    """Django's ``{% cache %}``, with the same arguments, whose fragments a page reads together
    (``PageFragmentNode``): ``{% load fragments %}`` in place of ``{% load cache %}``."""
    node = django_cache.do_cache(parser, token)
    return PageFragmentNode(node.nodelist, node.expire_time_var, node.fragment_name, node.vary_on, node.cache_name)


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
