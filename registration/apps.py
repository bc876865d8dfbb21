from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        from meetings.extensions import add_meeting_page_section

        add_meeting_page_section("registration/_meeting_panel.html", order=10)
