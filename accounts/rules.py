"""Who may do what, for everything that is not tied to one domain app."""

import rules
from django.conf import settings

is_secretariat = rules.is_group_member(settings.SECRETARIAT_GROUP)

rules.add_perm("accounts.edit_own_profile", rules.is_authenticated)
rules.add_perm("accounts.view_secretariat_menu", is_secretariat)
# Templates ask this rule directly: a permission check would fall through to the model backend's queries.
rules.add_rule("is_secretariat", is_secretariat)
