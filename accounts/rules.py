"""Who may do what, for everything that is not tied to one domain app."""

import rules
from django.conf import settings

from sg17portal.pagecache import kept_per_person
from sg17portal.request_cache import per_request

# The version a person's groups are kept under between requests (accounts.apps replaces it on every change).
GROUPS = "groups"


@per_request
@kept_per_person(GROUPS)
def group_names(user) -> frozenset[str]:
    """The names of the groups ``user`` belongs to, read once per request (the secretariat and the chairs are
    groups, and every page asks about them several times) and kept between requests until any membership or group
    changes."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(user.groups.values_list("name", flat=True))


@rules.predicate
def is_secretariat(user):
    return settings.SECRETARIAT_GROUP in group_names(user)


rules.add_perm("accounts.edit_own_profile", rules.is_authenticated)
rules.add_perm("accounts.view_secretariat_menu", is_secretariat)
# Templates ask this rule directly: a permission check would fall through to the model backend's queries.
rules.add_rule("is_secretariat", is_secretariat)
