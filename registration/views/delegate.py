"""The delegate's pages: register, my registrations, one registration, cancel, ask for an affiliation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from accounts.rules import is_secretariat
from meetings.queries import access_meeting
from sg17portal import errors
from sg17portal.pagecache import meetings_version

from .. import queries, services
from ..forms import AffiliationRequestForm, ReasonForm, RegistrationChangeForm, RegistrationForm
from ..fragments import affiliations_version
from ..models import RegistrationEvent
from ..windows import registration_window
from .common import redirect_back

# How long a delegate's empty registration form is kept in the cache (its versions make each change show at once).
FORM_SECONDS = 600


def _history():
    return Prefetch("history", queryset=RegistrationEvent.objects.select_related("actor"))


@login_required
@permission_required("registration.view_own_registrations", raise_exception=True)
def my_registrations(request):
    registrations = list(
        request.user.registrations.select_related("meeting__study_group", "entity", "decided_by")
        .prefetch_related(_history())
        .order_by("-meeting__first_day", "-created_at")
    )
    registered = {r.meeting_id for r in registrations if r.is_active}
    meetings = [m for m in queries.open_meetings() if m.pk not in registered]
    context = {
        "registrations": registrations,
        "affiliations": request.user.affiliations.select_related("entity").order_by("entity__name"),
        "open_meetings": meetings,
    }
    return render(request, "registration/my_registrations.html", context)


@login_required
def registration_detail(request, pk):
    registration = queries.access_registration(request.user, pk, "registration.view_registration")
    history = registration.history.select_related("actor")
    context = {
        "registration": registration,
        "history": history,
        "meeting": registration.meeting,
        "cancel_form": ReasonForm(),
        "shows_join_details": registration.state == registration.State.APPROVED
        and registration.delegate_id == request.user.pk,
        "can_change": request.user.has_perm("registration.change_registration", registration)
        and (is_secretariat(request.user) or services.can_still_change(registration)),
    }
    return render(request, "registration/registration_detail.html", context)


@login_required
@permission_required("registration.register", raise_exception=True)
def register(request, meeting_pk):
    meeting = access_meeting(
        request.user,
        meeting_pk,
        perm="registration.register",
        states=queries.STATES_WITH_REGISTRATIONS,
    )
    current = queries.registration_of(request.user, meeting)
    if current is not None and current.is_active:
        messages.info(request, _("You are already registered for this meeting."))
        return redirect(current)
    window = registration_window(meeting)
    context = {"meeting": meeting, "window": window, "side_events": meeting.side_events.all()}
    if not window.open_to_delegates:
        return render(request, "registration/register_closed.html", context)

    def new_form():
        return RegistrationForm(request.POST or None, meeting=meeting, window=window, delegate=request.user)

    # The empty form shows the entities sorted for the delegate (their own first), and is the same until the
    # entities, the meeting's deadlines or the open requests change: a cached fragment keyed by all of those
    # (registration.fragments, sg17portal.pagecache), the form made only when it is not there. It is keyed by the
    # delegate's affiliations and the entities they are focal point of, not by the delegate: the members of an
    # entity who register as the registration opens share one. A form sent back with its errors is rendered each
    # time, under a key of its own, and never kept.
    form = new_form() if request.method == "POST" else SimpleLazyObject(new_form)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(
                meeting, delegate=request.user, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            errors.add_to_form(form, error)
        else:
            if registration.state == registration.State.APPROVED:
                messages.success(request, _("You are registered: your registration is approved."))
            else:
                messages.success(request, _("Your registration was received; your focal point will decide on it."))
            return redirect(registration)
    context.update(
        form=form,
        entities_sorted_by=(
            sorted(queries.affiliation_states(request.user).items()),
            sorted(queries.entities_of_focal_point(request.user)),
        ),
        fragments_version=(affiliations_version(), meetings_version()),
        form_seconds=0 if request.method == "POST" else FORM_SECONDS,
    )
    return render(request, "registration/register.html", context)


@login_required
def edit(request, pk):
    """The delegate changes their registration until the registration deadline (the secretariat at any time)."""
    registration = queries.access_registration(request.user, pk, "registration.change_registration")
    meeting = access_meeting(
        request.user,
        registration.meeting_id,
        perm="meetings.view_meeting",
        states=queries.STATES_WITH_REGISTRATIONS,
    )
    registration.meeting = meeting
    window = registration_window(meeting)
    if not services.can_still_change(registration, window=window) and not is_secretariat(request.user):
        messages.error(request, services.closed_for_changes_message(registration, window))
        return redirect(registration)
    form = RegistrationChangeForm(
        request.POST or None, meeting=meeting, window=window, delegate=registration.delegate, registration=registration
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_registration(registration, by=request.user, **form.service_arguments())
        except services.AlreadyDecided as outcome:
            messages.warning(request, outcome.message)
            return redirect(registration)
        except ValidationError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("Your registration is saved with the changes; its history lists them."))
            return redirect(registration)
    context = {"meeting": meeting, "window": window, "registration": registration, "form": form}
    return render(request, "registration/registration_edit.html", context)


@require_POST
@login_required
def cancel(request, pk):
    registration = queries.access_registration(request.user, pk, "registration.cancel_registration")
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_registration(registration, by=request.user, reason=reason)
    except services.AlreadyDecided as outcome:
        errors.report(request, outcome)
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect_back(request, registration.get_absolute_url())


@login_required
@permission_required("registration.request_affiliation", raise_exception=True)
def request_affiliation(request):
    form = AffiliationRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_affiliation(request.user, entity=form.cleaned_data["entity"])
        except ValidationError as error:
            errors.report(request, error)
        else:
            messages.success(request, _("Your request was sent to the entity's focal points."))
            return redirect("registration:mine")
    return render(request, "registration/affiliation_request.html", {"form": form})
