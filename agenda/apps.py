from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from meetings.extensions import (
            add_manage_link,
            add_meeting_created_hook,
            add_meeting_page_section,
            set_annex_b_renderer,
        )

        from .annex import render_annex_b
        from .services import start_agenda_from_letter

        add_meeting_page_section("agenda/_meeting_panel.html", order=30)
        set_annex_b_renderer(render_annex_b)
        add_meeting_created_hook(start_agenda_from_letter)
        add_manage_link(_("Agenda editor"), "agenda:agenda_draft", order=30)
        add_manage_link(_("Time plan editor"), "agenda:time_plan_draft", order=31)
