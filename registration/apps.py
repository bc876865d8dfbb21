from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "registration"
    verbose_name = _("Registration")

    def ready(self):
        from meetings.extensions import add_change_audience, add_manage_link, add_meeting_page_section
        from meetings.pdf_jobs import PdfKind, register_pdf_kind

        from . import fragments
        from .queries import people_to_tell_of_meeting_changes

        fragments.watch()

        add_meeting_page_section("registration/_meeting_panel.html", order=10)
        add_change_audience(people_to_tell_of_meeting_changes)
        add_manage_link(_("Registrations"), "registration:meeting_registrations", order=10)
        # A thousand delegates take seconds to render: the list is made by a worker.
        register_pdf_kind(
            PdfKind(
                name="participants",
                permission="registration.view_meeting_registrations",
                render="registration.pdf.render_participants",
                file_name="participants-meeting-{meeting.pk}.pdf",
                title=_("List of participants"),
                page="registration:participants_pdf",
            )
        )
