"""PDFs rendered by a worker: the kinds other apps register, the job's workflow, and the task that runs it.

An app registers a kind in its ``AppConfig.ready()`` with the permission that guards it and the function that
renders it (``register_pdf_kind``). Its page shows what the PDF will hold and asks for it with a POST:
``request_pdf_job`` queues a job (or returns the one already waiting), as a GET never makes work;
the ``meetings.render_pdf_job`` task (queue ``pdf``) renders it into the default storage — the bucket in
production — and the job's page (``meetings:pdf_job``) shows its state, then the file. The ``meetings.sweep``
task deletes finished jobs and their files once ``PDF_JOB_RETENTION`` has passed.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from sg17portal.celery import enqueue_on_commit

from .models import Meeting, PdfJob

logger = logging.getLogger(__name__)

# A job still queued after this long lost its message (the broker was down): the sweep queues it again.
REQUEUE_AFTER = timedelta(seconds=60)
# A render unfinished after this long lost its worker (killed, or restarted by a deploy): its message, delivered
# again, finds the job claimed and leaves it. The sweep marks it failed, and a new request makes a new job instead
# of waiting on it. The list of 1,000 delegates renders in seconds.
RENDER_ABANDONED_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class PdfKind:
    name: str
    permission: str  # asked with the meeting: user.has_perm(permission, meeting)
    render: str  # dotted path of render(meeting) -> bytes
    file_name: str  # format string with {meeting.pk} etc.
    title: str
    page: str = ""  # URL name (argument meeting_pk) of the page that asks for it: the job's page links back to it


KINDS: dict[str, PdfKind] = {}


def register_pdf_kind(kind: PdfKind) -> None:
    KINDS[kind.name] = kind


def request_pdf_job(meeting: Meeting, *, kind: str, by) -> PdfJob:
    """The job that renders ``kind`` for ``meeting`` in the active language: the one already queued or rendering,
    or a new one.

    Side effects, in order: a new ``PdfJob`` row (unless one is waiting); on commit, one render task.
    """
    spec = KINDS[kind]
    language = translation.get_language() or settings.LANGUAGE_CODE
    rendering_since = timezone.now() - RENDER_ABANDONED_AFTER
    with transaction.atomic():
        waiting = (
            PdfJob.objects.select_for_update()
            .filter(meeting=meeting, kind=kind, language=language)
            .filter(Q(state=PdfJob.State.QUEUED) | Q(state=PdfJob.State.RENDERING, started_at__gte=rendering_since))
            .order_by("-created_at")
            .first()
        )
        if waiting:
            return waiting
        job = PdfJob.objects.create(
            meeting=meeting,
            kind=kind,
            language=language,
            requested_by=by,
            file_name=spec.file_name.format(meeting=meeting),
        )
        enqueue_on_commit("meetings.render_pdf_job", job.pk)
    return job


def newest_pdf_job(meeting: Meeting, *, kind: str) -> PdfJob | None:
    """The last job asked for ``kind`` of ``meeting`` in the active language, whatever its state (or None)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return PdfJob.objects.filter(meeting=meeting, kind=kind, language=language).order_by("-created_at", "-pk").first()


def render_job(job_id: int) -> None:
    """Renders a queued job into storage; a job already taken, finished or gone is left alone.

    Side effects, in order: the job marked rendering (compare-and-set); the PDF saved to storage; the job done
    (or failed, with the error).
    """
    claimed = PdfJob.objects.filter(pk=job_id, state=PdfJob.State.QUEUED).update(
        state=PdfJob.State.RENDERING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = PdfJob.objects.select_related("meeting").get(pk=job_id)
    try:
        with translation.override(job.language):
            body = import_string(KINDS[job.kind].render)(job.meeting)
    except Exception as error:
        logger.exception("PDF job %s failed", job_id)
        PdfJob.objects.filter(pk=job_id).update(
            state=PdfJob.State.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        return
    job.file.save(job.file_name, ContentFile(body), save=False)
    PdfJob.objects.filter(pk=job_id).update(file=job.file.name, state=PdfJob.State.DONE, finished_at=timezone.now())


def requeue_lost_jobs(now=None) -> int:
    """Queues again the jobs whose message never reached a worker (enqueued while the broker was down)."""
    cutoff = (now or timezone.now()) - REQUEUE_AFTER
    ids = list(PdfJob.objects.filter(state=PdfJob.State.QUEUED, created_at__lt=cutoff).values_list("pk", flat=True))
    for job_id in ids:
        # Outside a transaction the helper sends at once; a broker still down is logged and left to the next run.
        enqueue_on_commit("meetings.render_pdf_job", job_id)
    return len(ids)


def fail_abandoned_renders(now=None) -> int:
    """Marks failed the jobs rendering for longer than ``RENDER_ABANDONED_AFTER``: their worker is gone."""
    now = now or timezone.now()
    return PdfJob.objects.filter(state=PdfJob.State.RENDERING, started_at__lt=now - RENDER_ABANDONED_AFTER).update(
        state=PdfJob.State.FAILED, error="The worker stopped while rendering.", finished_at=now
    )


def delete_old_pdf_jobs(now=None) -> int:
    """Deletes the jobs finished (done or failed) more than ``PDF_JOB_RETENTION`` ago, and their files.

    Side effects, in order, job by job: the file deleted from storage; the row deleted. A file the storage could
    not delete keeps its row, so the next sweep tries again rather than leaving the file behind unreferenced.
    """
    cutoff = (now or timezone.now()) - settings.PDF_JOB_RETENTION
    finished = [PdfJob.State.DONE, PdfJob.State.FAILED]
    deleted = 0
    for job in PdfJob.objects.filter(state__in=finished, finished_at__lt=cutoff).order_by("pk").iterator():
        if job.file:
            try:
                job.file.delete(save=False)
            except Exception:
                logger.warning("Could not delete the file of PDF job %s; the next sweep tries.", job.pk, exc_info=True)
                continue
        deleted += PdfJob.objects.filter(pk=job.pk).delete()[0]
    return deleted


def delete_file_of_deleted_job(sender, instance: PdfJob, **kwargs) -> None:
    """A job deleted with its meeting takes its file along, once the deletion is committed (connected in
    ``MeetingsConfig.ready``). A file the storage cannot delete is logged and left."""
    if not instance.file:
        return
    name, storage = instance.file.name, instance.file.storage

    def delete():
        try:
            storage.delete(name)
        except Exception:
            logger.warning("Could not delete %s, the file of a deleted PDF job.", name, exc_info=True)

    transaction.on_commit(delete)
