"""The focal point's pages: the approval queue, decisions, the entity's settings and its delegations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from meetings.models import Meeting
from meetings.queries import access_meeting
from sg17portal import errors
from sg17portal.pagecache import meetings_version
from sg17portal.paging import is_plain_page, page_of

from .. import queries, services
from ..forms import AutoApprovalForm, BulkDecisionForm, ReasonForm, RejectForm
from ..fragments import registrations_version
from ..models import Affiliation
from ..statistics import meeting_statistics
from .common import redirect_back

# Pending registrations shown at once; the others are on the next pages of the queue.
QUEUE_PAGE_SIZE = 50
# How long a page of the queue is kept in the cache (its versions make each change show at once).
QUEUE_SECONDS = 600


def _report_bulk(request, outcome: services.BulkOutcome, done: str) -> None:
    if outcome.decided:
        messages.success(request, done % {"count": len(outcome.decided)})
    for registration in outcome.already_decided:
        errors.report(request, services.AlreadyDecided(registration), prefix=f"{registration.delegate}: ")


@login_required
@permission_required("registration.view_queue", raise_exception=True)
def queue(request):
    if request.method == "POST":
        return _decide_in_bulk(request)
    meeting_id = request.GET.get("meeting")
    selected = int(meeting_id) if meeting_id and meeting_id.isdigit() and len(meeting_id) <= 9 else None

    def queue_page():
        registrations = queries.registrations_for_focal_point(request.user)
        if selected is not None:
            registrations = registrations.filter(meeting_id=selected)
        ids, page = page_of(registrations, request.GET.get("page"), QUEUE_PAGE_SIZE, fields=("pk",))
        return queries.registrations_in_order([pk for (pk,) in ids]), page

    # The queue is the focal point's own: a cached fragment per person, address, language, time zone and versions
    # of the registrations (registration.fragments) and of the meetings they are for, made only when it is not
    # there, with each request's own CSRF token put in its forms ({% fragment_cache %}). Only the plain queue's
    # pages are kept, so no one fills the cache by varying an address.
    listed = SimpleLazyObject(queue_page)
    plain = is_plain_page(request, "meeting")
    context = {
        "registrations": SimpleLazyObject(lambda: listed[0]),
        "page": SimpleLazyObject(lambda: listed[1]),
        "pending_by_meeting": SimpleLazyObject(lambda: queries.pending_by_meeting(request.user)),
        "selected_meeting": selected,
        "affiliations": SimpleLazyObject(lambda: queries.affiliations_for_focal_point(request.user)),
        "fragments_version": (registrations_version(), meetings_version()),
        "queue_seconds": QUEUE_SECONDS if plain else 0,
    }
    return render(request, "registration/queue.html", context)


def _decide_in_bulk(request):
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("registration:queue")
    ids = set(form.cleaned_data["registration"])
    # One id the person may not decide on, and nothing is done: entity A's focal point gets 404 for B's.
    if queries.registrations_decidable_by(request.user).filter(pk__in=ids).count() != len(ids):
        raise Http404
    reason = form.cleaned_data["reason"]
    if form.cleaned_data["action"] == BulkDecisionForm.APPROVE:
        outcome = services.approve_registrations(ids, by=request.user, reason=reason)
        count = len(outcome.decided)
        _report_bulk(
            request, outcome, ngettext("%(count)d registration approved.", "%(count)d registrations approved.", count)
        )
    else:
        outcome = services.reject_registrations(ids, by=request.user, reason=reason)
        count = len(outcome.decided)
        _report_bulk(
            request, outcome, ngettext("%(count)d registration rejected.", "%(count)d registrations rejected.", count)
        )
    return redirect_back(request, reverse("registration:queue"))


@require_POST
@login_required
def approve(request, pk):
    registration = queries.access_registration(request.user, pk, "registration.decide_registration")
    form = ReasonForm(request.POST)
    try:
        services.approve_registration(
            registration, by=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
    except services.AlreadyDecided as outcome:
        errors.report(request, outcome)
    else:
        messages.success(request, _("%(delegate)s's registration is approved.") % {"delegate": registration.delegate})
    return redirect_back(request, reverse("registration:queue"))


@require_POST
@login_required
def reject(request, pk):
    registration = queries.access_registration(request.user, pk, "registration.decide_registration")
    form = RejectForm(request.POST)
    if not form.is_valid():
        # The form again, on its own page, with the error summary leading to the reason left empty.
        context = {"registration": registration, "meeting": registration.meeting, "form": form}
        return render(request, "registration/reject.html", context)
    try:
        services.reject_registration(registration, by=request.user, reason=form.cleaned_data["reason"])
    except services.AlreadyDecided as outcome:
        errors.report(request, outcome)
    except ValidationError as error:
        errors.report(request, error)
    else:
        messages.success(request, _("%(delegate)s's registration is rejected.") % {"delegate": registration.delegate})
    return redirect_back(request, reverse("registration:queue"))


@require_POST
@login_required
def confirm_affiliation(request, pk):
    affiliation = queries.access_affiliation(request.user, pk, "registration.decide_affiliation")
    try:
        services.confirm_affiliation(affiliation, by=request.user)
    except services.AlreadyDecided as outcome:
        errors.report(request, outcome)
    else:
        messages.success(
            request,
            _("%(person)s is now a member of %(entity)s.") % {"person": affiliation.user, "entity": affiliation.entity},
        )
    return redirect_back(request, reverse("registration:queue"))


@require_POST
@login_required
def decline_affiliation(request, pk):
    affiliation = queries.access_affiliation(request.user, pk, "registration.decide_affiliation")
    form = ReasonForm(request.POST)
    try:
        services.decline_affiliation(
            affiliation, by=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
    except services.AlreadyDecided as outcome:
        errors.report(request, outcome)
    else:
        messages.success(
            request, _("The affiliation request of %(person)s is declined.") % {"person": affiliation.user}
        )
    return redirect_back(request, reverse("registration:queue"))


@login_required
def entity_detail(request, pk):
    entity = queries.access_entity(request.user, pk, "registration.view_entity")
    meetings = (
        Meeting.objects.filter(registrations__entity=entity)
        .annotate(registration_count=Count("registrations"))
        .select_related("study_group")
        .order_by("-first_day")
    )
    context = {
        "entity": entity,
        "focal_points": entity.focal_points.order_by("family_name", "given_name"),
        "members": entity.affiliations.filter(state=Affiliation.State.APPROVED).select_related("user"),
        "pending_affiliations": entity.affiliations.filter(state=Affiliation.State.PENDING).select_related("user"),
        "meetings": meetings,
        "auto_approval_form": AutoApprovalForm(initial={"auto_approval": entity.auto_approval}),
    }
    return render(request, "registration/entity_detail.html", context)


@require_POST
@login_required
def auto_approval(request, pk):
    entity = queries.access_entity(request.user, pk, "registration.set_auto_approval")
    form = AutoApprovalForm(request.POST)
    if form.is_valid():
        enabled = form.cleaned_data["auto_approval"]
        services.set_auto_approval(entity, enabled=enabled, by=request.user)
        if enabled:
            messages.success(
                request, _("Registrations for %(entity)s are now approved automatically.") % {"entity": entity}
            )
        else:
            messages.success(
                request, _("Registrations for %(entity)s now wait for a focal point.") % {"entity": entity}
            )
    return redirect("registration:entity", pk=entity.pk)


@login_required
def delegation(request, pk, meeting_pk):
    entity = queries.access_entity(request.user, pk, "registration.view_entity")
    meeting = access_meeting(
        request.user,
        meeting_pk,
        perm="meetings.view_meeting",
        states=queries.STATES_WITH_REGISTRATIONS,
    )
    registrations = entity.registrations.filter(meeting=meeting)
    context = {
        "entity": entity,
        "meeting": meeting,
        "registrations": registrations.select_related("delegate", "decided_by").order_by(
            "delegate__family_name", "delegate__given_name"
        ),
        "statistics": meeting_statistics(registrations, all_states=registrations),
    }
    return render(request, "registration/delegation.html", context)
