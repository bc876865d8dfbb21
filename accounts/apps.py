from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.models import Group

        from sg17portal.pagecache import watch_fragments

        from .kept_user import PEOPLE
        from .rules import GROUPS

        # Who belongs to which group is kept between requests (accounts.rules.group_names): any change of a
        # membership or of a group replaces its version, at once and when the transaction commits.
        watch_fragments(GROUPS, Group, self.get_model("User").groups.through)
        # The rows of the people signed in are kept with their sessions (accounts.kept_user): any change of a user
        # but the record of a sign-in replaces their version (a rehashed password does: the session's hash is
        # made from it).
        watch_fragments(PEOPLE, self.get_model("User"), unshown=frozenset({"last_login"}))
