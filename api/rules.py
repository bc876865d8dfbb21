"""Who may do what with the API's own objects. The data the API serves is guarded by each app's rules."""

import rules

from accounts.rules import is_secretariat

rules.add_perm("api.manage_own_tokens", rules.is_authenticated)
rules.add_perm("api.manage_webhooks", is_secretariat)
