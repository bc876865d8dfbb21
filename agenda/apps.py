from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from sg17portal.pagecache import watch_app

        # The public pages show this app's rows: a change of any of them is on the next anonymous page.
        watch_app(self)
        from meetings.extensions import (
            add_change_audience,
            add_clone_step,
            add_manage_link,
            add_meeting_created_hook,
            add_meeting_page_section,
            set_annex_b_renderer,
        )

        from .annex import render_annex_b
        from .queries import calendar_subscribers
        from .services import start_agenda_from_letter
        from .services.cloning import copy_agenda_into_clone

        add_meeting_page_section("agenda/_meeting_panel.html", order=30)
        set_annex_b_renderer(render_annex_b)
        add_meeting_created_hook(start_agenda_from_letter)
        add_manage_link(_("Agenda editor"), "agenda:agenda_draft", order=30)
        add_manage_link(_("Time plan editor"), "agenda:time_plan_draft", order=31)
        add_clone_step(copy_agenda_into_clone)
        add_change_audience(calendar_subscribers)
