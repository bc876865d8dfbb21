"""Draft TDs: members send them, the secretariat numbers and posts them, or declines them."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetings.models import Meeting, Question

from .. import queries, td_queue
from ..forms import TdDraftDeclineForm, TdDraftForm, TdDraftPostForm
from ..models import TdDraft
from ..services import DocumentError
from ..uploads import UploadRefused
from .common import file_response, login_for_anonymous, safe_download_name


@login_for_anonymous
def submit_td_draft(request, meeting_pk: int):
    """A member uploads a draft TD for the secretariat's queue and sees what became of earlier ones."""
    meeting = queries.access_meeting(request.user, meeting_pk)
    if not request.user.has_perm("documents.view_meeting_documents"):
        raise PermissionDenied
    drafts = TdDraft.objects.filter(submitted_by=request.user, meeting=meeting).select_related("document")
    context = {"meeting": meeting, "drafts": drafts.order_by("-id")}
    if not request.user.has_perm("documents.submit_td_draft", meeting):
        # A member still follows the drafts they sent; the page says why there is no form.
        status = 403 if request.method == "POST" else 200
        context.update(form=None, closed_message=td_queue.closed_to_drafts_message())
        return render(request, "documents/td_draft_form.html", context, status=status)
    form = TdDraftForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            td_queue.submit_td_draft(
                meeting,
                files=form.cleaned_data["files"],
                by=request.user,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
            )
        except (UploadRefused, DocumentError) as error:
            form.add_error("files" if isinstance(error, UploadRefused) else None, error.message)
        else:
            messages.success(
                request, _("Your draft is in the secretariat's queue; you will get a mail when it is posted.")
            )
            return redirect("documents:submit_td_draft", meeting_pk=meeting.pk)
    return render(request, "documents/td_draft_form.html", {**context, "form": form})


@require_GET
@login_for_anonymous
def queue(request):
    if not request.user.has_perm("documents.manage_td_queue"):
        raise PermissionDenied
    recent = (
        TdDraft.objects.filter(state__in=[TdDraft.State.POSTED, TdDraft.State.DECLINED])
        .select_related("document__study_group", "decided_by")
        .order_by("-decided_at")[:20]
    )
    return render(request, "documents/td_queue.html", {"drafts": queries.pending_td_drafts(), "recent": recent})


def _meeting_choices(draft: TdDraft):
    """Meetings a TD may be posted to: the draft's own, and those not finished for long."""
    since = timezone.now().date() - datetime.timedelta(days=60)
    meetings = Meeting.objects.select_related("study_group").filter(last_day__gte=since)
    if draft.meeting_id:
        meetings = Meeting.objects.select_related("study_group").filter(pk=draft.meeting_id) | meetings
    return meetings.order_by("first_day")


@login_for_anonymous
def draft_detail(request, pk: int):
    """The secretariat checks a draft and posts it as a TD; the sender sees its state."""
    draft = queries.access_td_draft(request.user, pk)
    manage = request.user.has_perm("documents.manage_td_queue")
    post_form = decline_form = None
    if manage and draft.state == TdDraft.State.PENDING:
        meetings = _meeting_choices(draft)
        initial = {"meeting": draft.meeting_id, "title": draft.subject, "source": _source_guess(draft)}
        post_form = TdDraftPostForm(
            request.POST or None,
            initial=initial,
            meetings=meetings,
            questions=Question.objects.select_related("study_group"),
        )
        decline_form = TdDraftDeclineForm()
        if request.method == "POST" and post_form.is_valid():
            data = post_form.cleaned_data
            try:
                document = td_queue.post_td_from_draft(
                    draft,
                    meeting=data["meeting"],
                    title=data["title"],
                    source=data["source"],
                    scope=data["scope"],
                    td_type=data["td_type"],
                    questions=data["questions"],
                    abstract=data["abstract"],
                    by=request.user,
                )
            except DocumentError as error:
                messages.error(request, error.message)
                return redirect("documents:td_queue")
            messages.success(request, _("Posted as %(name)s.") % {"name": document.display_name})
            return redirect("documents:td_queue")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "documents/td_draft_detail.html",
        {"draft": draft, "files": draft.files.all(), "post_form": post_form, "decline_form": decline_form},
    )


def _source_guess(draft: TdDraft) -> str:
    person = draft.submitted_by
    return person.get_full_name() if person else ""


@require_POST
@login_for_anonymous
def decline_draft(request, pk: int):
    draft = queries.access_td_draft(request.user, pk)
    if not request.user.has_perm("documents.manage_td_queue"):
        raise PermissionDenied
    form = TdDraftDeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the draft is declined; the sender will read it."))
        return redirect(draft)
    try:
        td_queue.decline_td_draft(draft, reason=form.cleaned_data["reason"], by=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The draft is declined; its sender is told why."))
    return redirect("documents:td_queue")


@require_GET
@login_for_anonymous
def draft_file(request, pk: int):
    file = queries.access_td_draft_file(request.user, pk)
    return file_response(file, f"TD-draft-{file.draft_id}-{file.pk}-{safe_download_name(file.original_name)}")


def confirm_td_draft(request, token: str):
    """The link mailed to the sender of a mailed draft: no login, the link itself shows the address is theirs.

    Opening it changes nothing (mail scanners open links); the button does.
    """
    draft = td_queue.unconfirmed_draft(token)
    if request.method == "POST" and draft is not None:
        try:
            td_queue.confirm_td_draft(token=token)
        except DocumentError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your draft is in the secretariat's queue; you will get a mail when it is posted.")
            )
        return redirect("home")
    if draft is None:
        return render(request, "documents/td_draft_confirm_gone.html", status=404)
    return render(request, "documents/td_draft_confirm.html", {"draft": draft})
