"""PDF jobs are kept for PDF_JOB_RETENTION once finished: the meetings sweep then deletes the job and its file,
on the file system and in the bucket; a file the storage cannot delete keeps its job for the next sweep. A render
whose worker stopped does not hold up the next request for ever."""

import datetime
import socket

import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from meetings import tasks
from meetings.models import PdfJob
from meetings.pdf_jobs import delete_old_pdf_jobs, fail_abandoned_renders, request_pdf_job
from tests.documents.test_object_storage import bucket, keys, s3_server  # noqa: F401 - fixtures
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def finished_job(meeting, *, state=PdfJob.State.DONE, hours_ago, with_file=True) -> PdfJob:
    finished_at = timezone.now() - hours_ago * HOUR
    job = PdfJob.objects.create(
        meeting=meeting,
        kind="participants",
        state=state,
        file_name=f"participants-meeting-{meeting.pk}.pdf",
        created_at=finished_at - HOUR,
        started_at=finished_at - HOUR,
        finished_at=finished_at,
    )
    if with_file:
        job.file.save(job.file_name, ContentFile(b"%PDF-1.7 participants"))
    return job


def test_sweep_deletes_jobs_finished_a_day_ago_and_their_files(media_root):
    meeting = MeetingFactory()
    old_done = finished_job(meeting, hours_ago=25)
    old_failed = finished_job(meeting, state=PdfJob.State.FAILED, hours_ago=25, with_file=False)
    recent = finished_job(meeting, hours_ago=23)
    rendering = PdfJob.objects.create(
        meeting=meeting,
        kind="participants",
        state=PdfJob.State.RENDERING,
        created_at=timezone.now() - 30 * HOUR,
        started_at=timezone.now() - 30 * HOUR,
    )

    tasks.sweep()  # what beat runs every SWEEP_INTERVAL_SECONDS

    assert sorted(PdfJob.objects.values_list("pk", flat=True)) == sorted([recent.pk, rendering.pk])
    rendering.refresh_from_db()
    assert rendering.state == PdfJob.State.FAILED  # its worker stopped 30 hours ago; deleted a day from now
    assert not PdfJob.objects.filter(pk=old_failed.pk).exists()
    assert (default_storage.exists(old_done.file.name), default_storage.exists(recent.file.name)) == (False, True)
    assert [str(p) for p in (media_root / "generated").rglob("*.pdf")] == [recent.file.path]


def test_a_deleted_meeting_takes_its_jobs_files_along(media_root, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    job = finished_job(meeting, hours_ago=1)
    other = finished_job(MeetingFactory(), hours_ago=1)

    with django_capture_on_commit_callbacks(execute=True):
        meeting.delete()

    assert not PdfJob.objects.filter(pk=job.pk).exists()
    assert (default_storage.exists(job.file.name), default_storage.exists(other.file.name)) == (False, True)


def test_retention_comes_from_the_setting(media_root, settings):
    settings.PDF_JOB_RETENTION = 2 * HOUR
    meeting = MeetingFactory()
    three_hours = finished_job(meeting, hours_ago=3)
    one_hour = finished_job(meeting, hours_ago=1)

    deleted = delete_old_pdf_jobs()

    assert deleted == 1
    assert list(PdfJob.objects.values_list("pk", flat=True)) == [one_hour.pk]
    assert default_storage.exists(three_hours.file.name) is False
    assert delete_old_pdf_jobs(now=timezone.now() + 2 * HOUR) == 1
    assert list((media_root / "generated").rglob("*.pdf")) == []


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_sweep_deletes_the_file_from_the_bucket_and_keeps_the_job_while_the_bucket_is_unreachable(bucket, settings):  # noqa: F811
    meeting = MeetingFactory()
    old = finished_job(meeting, hours_ago=25)
    recent = finished_job(meeting, hours_ago=1)
    assert sorted(keys(bucket)) == sorted([old.file.name, recent.file.name])
    reachable = settings.STORAGES
    # The object store stops answering: nothing is lost, the job waits for the next sweep.
    settings.STORAGES = {
        **reachable,
        "default": {
            **reachable["default"],
            "OPTIONS": {
                "endpoint_url": f"http://127.0.0.1:{closed_port()}",
                "client_config": Config(retries={"max_attempts": 0}, connect_timeout=2),
            },
        },
    }

    assert delete_old_pdf_jobs() == 0
    assert PdfJob.objects.count() == 2

    settings.STORAGES = reachable
    tasks.sweep()

    assert list(PdfJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert keys(bucket) == [recent.file.name]


def rendering_job(meeting, *, minutes_ago) -> PdfJob:
    since = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return PdfJob.objects.create(
        meeting=meeting, kind="participants", state=PdfJob.State.RENDERING, created_at=since, started_at=since
    )


def test_a_request_while_a_job_renders_gets_that_job(secretariat):
    meeting = MeetingFactory()
    rendering = rendering_job(meeting, minutes_ago=1)

    assert request_pdf_job(meeting, kind="participants", by=secretariat) == rendering
    assert fail_abandoned_renders() == 0


def test_a_render_whose_worker_stopped_fails_and_the_next_request_makes_a_new_job(secretariat):
    meeting = MeetingFactory()
    abandoned = rendering_job(meeting, minutes_ago=20)

    new = request_pdf_job(meeting, kind="participants", by=secretariat)
    failed = fail_abandoned_renders()

    abandoned.refresh_from_db()
    assert new.pk != abandoned.pk
    assert (new.state, failed, abandoned.state) == (PdfJob.State.QUEUED, 1, PdfJob.State.FAILED)
