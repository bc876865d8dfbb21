from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from sg17portal.pagecache import watch_app, watch_fragments

        from .queries import COUNTS, DIGESTS, REVISION_FIELDS, counts_key

        # The public pages show this app's rows: a change of any of them is on the next anonymous page. The agendas
        # show only the documents their items list: the agenda app watches those (agenda.apps).
        watch_app(self, on_agendas=False)
        watch_fragments(DIGESTS, self.get_model("DigestSubscription"))
        watch_fragments(COUNTS, self.get_model("Document"), unshown=REVISION_FIELDS)
        from meetings.extensions import add_meeting_page_section

        add_meeting_page_section(
            "documents/_meeting_panel.html", order=20, cache_keys=lambda meeting_pk: [counts_key(meeting_pk)]
        )
