from django.conf import settings
from django.core.cache.utils import make_template_fragment_key
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from . import pagecache

# What the header's two cached fragments (``base.html``) show besides the page they are on and the person asking, with
# their name and whether they are staff (from the person's row, which is current on every request): whether they
# are of the secretariat (the groups' version). The approvals waiting, which every registration and decision
# changes, are between the two fragments and rendered on each request.
HEADER_FRAGMENTS = ("groups",)
HEADER_PARTS = ("portal_header", "portal_header_end")


def portal(request):
    return {
        "SITE_URL": settings.SITE_URL,
        # Read only when a page renders the header.
        "header_version": SimpleLazyObject(lambda: pagecache.fragments_versions(*HEADER_FRAGMENTS)),
    }


def header_fragment_keys(request) -> list[str]:
    """The cache keys of the header's fragments on this request's page, made from the values ``base.html`` names in
    their ``{% fragment_cache %}``: the language, the person, their name and whether they are staff, the page's view,
    ``header_version``."""
    user = request.user
    values = [
        get_language(),
        user.pk,
        user.get_short_name(),
        user.is_staff,
        request.resolver_match.view_name,
        pagecache.fragments_versions(*HEADER_FRAGMENTS),
    ]
    return [make_template_fragment_key(part, values) for part in HEADER_PARTS]


class HeaderAlongMiddleware:
    """A signed-in page's header is two cached fragments read on every page: their keys are known once the address is
    resolved, so the view's first cache read brings them along (``pagecache.bring_along``) instead of the template
    reading them on its own. Anonymous visitors' pages come whole from the page cache and are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated and request.method == "GET":
            pagecache.bring_along(*header_fragment_keys(request))
