from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _listed_document_changed(sender, instance, signal, raw=False, created=False, **kwargs):
    """Replaces the agendas' version when a document an agenda item lists changes (see ``AgendaConfig.ready``)."""
    from sg17portal.pagecache import bump_agenda_version

    from .models import AgendaItem

    if raw or created:  # a new document is on no agenda yet
        return
    # A deleted document's links went with it: it may have been listed.
    if signal is post_delete or AgendaItem.documents.through.objects.filter(document_id=instance.pk).exists():
        bump_agenda_version()


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from sg17portal.pagecache import watch_app

        # The public pages show this app's rows: a change of any of them is on the next anonymous page.
        watch_app(self)
        # An agenda shows the documents its items list (name, revision, withdrawal): a change of one of those is
        # on the next agenda too; a document no item lists leaves the agendas' fragments in the cache.
        from documents.models import Document

        post_save.connect(_listed_document_changed, sender=Document, dispatch_uid="agenda-listed-document-save")
        post_delete.connect(_listed_document_changed, sender=Document, dispatch_uid="agenda-listed-document-delete")
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
