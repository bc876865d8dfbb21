from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _groups_changed(sender, **kwargs):
    from sg17portal.pagecache import bump_fragments

    from .rules import GROUPS

    if kwargs.get("raw") or kwargs.get("action", "post_").startswith("pre_"):
        return
    bump_fragments(GROUPS)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        # Who belongs to which group is kept between requests (accounts.rules.group_names): any change of a
        # membership or of a group replaces its version, at once and when the transaction commits.
        m2m_changed.connect(_groups_changed, sender=self.get_model("User").groups.through, dispatch_uid="groups-m2m")
        post_save.connect(_groups_changed, sender=Group, dispatch_uid="groups-save")
        post_delete.connect(_groups_changed, sender=Group, dispatch_uid="groups-delete")
