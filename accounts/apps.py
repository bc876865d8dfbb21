from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import post_delete, post_save

        from sg17portal.pagecache import watch_fragments

        from .kept_user import PEOPLE
        from .rules import GROUPS

        # Who belongs to which group is kept between requests (accounts.rules.group_names): any change of a
        # membership or of a group replaces its version, at once and when the transaction commits.
        watch_fragments(GROUPS, Group, self.get_model("User").groups.through)
        # The rows of the people signed in are kept with their sessions (accounts.kept_user): any change of a user
        # but the record of a sign-in replaces their version.
        watch_fragments(PEOPLE)
        User = self.get_model("User")
        post_save.connect(_person_changed, sender=User, dispatch_uid="kept-user-save")
        post_delete.connect(_person_changed, sender=User, dispatch_uid="kept-user-delete")


def _person_changed(sender, update_fields=None, raw=False, **kwargs):
    from sg17portal.pagecache import bump_fragments

    from .kept_user import PEOPLE

    if raw or update_fields == {"last_login"}:
        return
    bump_fragments(PEOPLE)
