from django.conf import settings
from django.utils.functional import SimpleLazyObject

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
