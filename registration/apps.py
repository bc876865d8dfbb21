from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        from meetings.extensions import add_change_audience, add_manage_link, add_meeting_page_section

        from .queries import people_to_tell_of_meeting_changes

        add_meeting_page_section("registration/_meeting_panel.html", order=10)
        add_change_audience(people_to_tell_of_meeting_changes)
        add_manage_link(_("Registrations"), "registration:meeting_registrations", order=10)
