"""A PDF job's page: where the rendering is, then the file."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from sg17portal.storage import stored_file_response

from .. import queries
from ..models import PdfJob
from ..pdf_jobs import KINDS

REFRESH_SECONDS = 2


def access_pdf_job(user, pk: int) -> PdfJob:
    """The job ``pk`` if ``user`` may read its meeting (404 otherwise) and holds its kind's permission (403)."""
    job = get_object_or_404(PdfJob.objects.select_related("meeting"), pk=pk)
    queries.access_meeting(user, job.meeting_id, perm="meetings.view_meeting")
    kind = KINDS.get(job.kind)
    if kind is None:
        raise Http404
    if not user.has_perm(kind.permission):
        raise PermissionDenied
    return job


@require_GET
@login_required
def pdf_job(request, pk: int):
    job = access_pdf_job(request.user, pk)
    return render(
        request,
        "meetings/pdf_job.html",
        {"job": job, "kind": KINDS[job.kind], "refresh": None if job.is_finished else REFRESH_SECONDS},
    )


@require_GET
@login_required
def pdf_job_file(request, pk: int):
    job = access_pdf_job(request.user, pk)
    if job.state != PdfJob.State.DONE or not job.file:
        raise Http404
    return stored_file_response(job.file, filename=job.file_name, content_type="application/pdf")
