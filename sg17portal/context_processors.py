from django.conf import settings
from django.core.cache.utils import make_template_fragment_key
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from . import pagecache

# What the header shows besides the person asking and the page they are on: the approvals waiting for them (the
# registrations' version; a change of a person's name or rights replaces it too) and whether they are of the
# secretariat (the groups' version). Its cached fragment (``base.html``) is kept under both.
HEADER_FRAGMENTS = ("registrations", "groups")


def portal(request):
    return {
        "SITE_URL": settings.SITE_URL,
        # Read only when a page renders the header.
        "header_version": SimpleLazyObject(lambda: pagecache.fragments_versions(*HEADER_FRAGMENTS)),
    }


def header_fragment_key(request) -> str:
    """The cache key of the header's fragment on this request's page, made from the values ``base.html`` names in
    its ``{% fragment_cache %}`` (the language, the person, the page's view, ``header_version``)."""
    return make_template_fragment_key(
        "portal_header",
        [
            get_language(),
            request.user.pk,
            request.resolver_match.view_name,
            pagecache.fragments_versions(*HEADER_FRAGMENTS),
        ],
    )


class HeaderAlongMiddleware:
    """A signed-in page's header is a cached fragment read on every page: its key is known once the address is
    resolved, so the view's first cache read brings it along (``pagecache.bring_along``) instead of the template
    reading it on its own. Anonymous visitors' pages come whole from the page cache and are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated and request.method == "GET":
            pagecache.bring_along(header_fragment_key(request))
