from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from sg17portal.pagecache import watch_app

        # The public pages show this app's rows: a change of any of them is on the next anonymous page.
        watch_app(self)
