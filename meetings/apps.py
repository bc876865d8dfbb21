from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from django.db.models.signals import post_delete

        from sg17portal.pagecache import watch_app, watch_releases

        from .models import PdfJob
        from .pdf_jobs import delete_file_of_deleted_job

        post_delete.connect(delete_file_of_deleted_job, sender=PdfJob, dispatch_uid="meetings.pdf_job_file")
        # The public pages show this app's rows: a change of any of them is on the next anonymous page.
        watch_app(self, on_meetings=True)
        watch_releases(self)
