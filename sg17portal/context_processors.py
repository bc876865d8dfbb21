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
        # Worked out only when a page renders the header.
        "header_key": SimpleLazyObject(lambda: header_key(request)),
    }


def header_key(request) -> str:
    """What the header's fragments on this request's page are kept under: the language, the person, their name and
    whether they are staff, the page's view and the groups' version. ``base.html`` keys both its fragments by it,
    and ``HeaderAlongMiddleware`` works out the same keys from it."""
    user, match = request.user, request.resolver_match
    return repr(
        (
            get_language(),
            user.pk,
            user.get_short_name() if user.is_authenticated else "",
            user.is_staff,
            match.view_name if match is not None else "",
            pagecache.fragments_versions(*HEADER_FRAGMENTS),
        )
    )


def header_fragment_keys(request) -> list[str]:
    """The cache keys of the header's fragments on this request's page, as ``base.html`` makes them."""
    value = header_key(request)
    return [make_template_fragment_key(part, [value]) for part in HEADER_PARTS]


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
