from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from meetings.extensions import add_meeting_page_section

        add_meeting_page_section("documents/_meeting_panel.html", order=20)
