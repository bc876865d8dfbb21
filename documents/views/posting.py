"""Posting: Direct Document Posting of contributions, revisions, withdrawal, TDs posted by the secretariat."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.rules import is_secretariat
from meetings.queries import access_meeting
from registration.fragments import affiliations_version
from sg17portal import errors
from sg17portal.pagecache import meetings_version

from .. import queries, services
from ..forms import ContributionForm, RevisionForm, TdForm, WithdrawForm
from ..models import Kind
from ..uploads import UploadRefused
from .common import login_for_anonymous

# How long a person's empty contribution form is kept in the cache (its versions make each change show at once).
FORM_SECONDS = 600


@login_for_anonymous
def post_contribution(request, meeting_pk: int):
    meeting = access_meeting(request.user, meeting_pk, perm="documents.post_contribution")
    deadline = queries.contributions_deadline(meeting)
    can_post_now = request.user.has_perm("documents.post_contribution_now", meeting)
    secretariat = is_secretariat(request.user)
    translation_open = request.user.has_perm("documents.request_translation_now", meeting)

    def new_form():
        return ContributionForm(
            request.POST or None,
            request.FILES or None,
            meeting=meeting,
            user=request.user,
            secretariat=secretariat,
            translation_open=translation_open,
        )

    # The empty form (the person's entities, the study group's Questions) is a cached fragment, keyed by the person,
    # what they may ask for and the versions of the entities and the meeting, made only when it is not there; a form
    # sent back with its errors is rendered each time and never kept.
    form = new_form() if request.method == "POST" else SimpleLazyObject(new_form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.post_contribution(
                meeting,
                entity=data["entity"],
                title=data["title"],
                questions=data["questions"],
                abstract=data["abstract"],
                translation_requested=data.get("translation_requested", False),
                files=data["files"],
                by=request.user,
            )
        except (services.DocumentError, UploadRefused) as error:
            errors.add_to_form(form, error)
        else:
            text = (
                _("Your contribution is posted as %(name)s.")
                if not document.is_late
                else _("The contribution is posted as %(name)s and marked late.")
            )
            messages.success(request, text % {"name": document.display_name})
            return redirect(document)
    return render(
        request,
        "documents/contribution_form.html",
        {
            "meeting": meeting,
            "form": form,
            "deadline": deadline,
            "deadline_open": deadline is None or deadline.is_open(),
            # The form is offered exactly when the service would take the contribution.
            "closed_message": None
            if can_post_now
            else services.deadline_message(deadline, what=_("contributions can no longer be posted.")),
            "form_key": (secretariat, translation_open, affiliations_version(), meetings_version()),
            "form_seconds": 0 if request.method == "POST" else FORM_SECONDS,
        },
    )


@login_for_anonymous
def revise_document(request, pk: int):
    document = queries.access_document(request.user, pk, perm="documents.revise_document", related=())
    form = RevisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.add_revision(
                document, files=form.cleaned_data["files"], by=request.user, note=form.cleaned_data["note"]
            )
        except (services.DocumentError, UploadRefused) as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("%(name)s is posted.") % {"name": revision.display_name})
            return redirect(document)
    deadline = queries.contributions_deadline(document.meeting) if document.meeting else None
    return render(
        request,
        "documents/revision_form.html",
        {
            "document": document,
            "form": form,
            "deadline": deadline,
            # The empty form's fields are the same for every document and person: a cached fragment per language,
            # under the meetings' version, which each release replaces. A form sent back, with its errors, is not.
            "form_seconds": 0 if request.method == "POST" else FORM_SECONDS,
            "release": meetings_version(),
        },
    )


@login_for_anonymous
def withdraw_document(request, pk: int):
    document = queries.access_document(request.user, pk, perm="documents.withdraw_document")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_document(document, by=request.user, reason=form.cleaned_data["reason"])
        except services.DocumentError as error:
            errors.report(request, error)
        else:
            messages.success(request, _("%(name)s is withdrawn; it keeps its number.") % {"name": document.base_name})
        return redirect(document)
    return render(request, "documents/withdraw_form.html", {"document": document, "form": form})


@login_for_anonymous
def post_td(request, meeting_pk: int):
    """The secretariat posts a TD, a liaison statement, a report or a collective letter directly."""
    meeting = access_meeting(request.user, meeting_pk, perm="documents.post_td")
    form = TdForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["td_type"] == Kind.COLLECTIVE_LETTER:
                document = services.post_collective_letter(
                    meeting, title=data["title"], files=data["files"], by=request.user
                )
            else:
                document = services.post_td(
                    meeting,
                    title=data["title"],
                    source=data["source"],
                    scope=data["scope"],
                    td_type=data["td_type"],
                    questions=data["questions"],
                    abstract=data["abstract"],
                    files=data["files"],
                    by=request.user,
                )
        except (services.DocumentError, UploadRefused) as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("Posted as %(name)s.") % {"name": document.display_name})
            return redirect(document)
    return render(request, "documents/td_form.html", {"meeting": meeting, "form": form})
