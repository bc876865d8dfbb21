"""A delegate changes their registration until the registration deadline.

What may change: participation, head of delegation, the fellowship and visa-support requests with the visa
details. The entity may not: another entity means another focal point's decision (cancel and register again).
The state does not change either: an approved registration stays approved, and its entity's focal points are told
what changed, since they approved something else; a pending one is decided on as it now reads.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_secretariat
from meetings.models import Meeting
from notifications.services import queue_rendered, render_mail
from sg17portal.dates import format_date

from ..models import MemberEntity, Registration, RegistrationEvent
from ..windows import RegistrationWindow, registration_window
from . import mail
from .registrations import LIVE_STATES, AlreadyDecided

# The fields a change may touch, in the order the history lists them.
EDITABLE = (
    "participation",
    "head_of_delegation",
    "fellowship_requested",
    "visa_support_requested",
    "nationality",
    "passport_number",
)


def can_still_change(registration: Registration, *, window: RegistrationWindow | None = None) -> bool:
    """Whether the delegate may still change the registration: live, announced meeting, deadline not passed."""
    window = window or registration_window(registration.meeting)
    return registration.state in LIVE_STATES and window.is_announced and window.on_time


def closed_for_changes_message(registration: Registration, window: RegistrationWindow) -> str:
    if registration.state not in LIVE_STATES:
        return _("This registration is %(state)s: there is nothing to change.") % {
            "state": registration.get_state_display().lower()
        }
    return _(
        "Registration for this meeting closed on %(day)s (end of day, %(zone)s time): the registration can no "
        "longer be changed. Write to the secretariat if something must change."
    ) % {"day": format_date(window.registration.day), "zone": registration.meeting.time_zone}


def _shown(registration: Registration, name: str) -> str:
    value = getattr(registration, name)
    if name == "participation":
        return registration.get_participation_display()
    if name == "nationality":
        return registration.nationality.name if value else "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value or "–"


def _check(registration: Registration, window: RegistrationWindow, new: dict, *, by_secretariat: bool) -> None:
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    meeting = registration.meeting
    if not window.on_time and not by_secretariat:
        raise ValidationError(closed_for_changes_message(registration, window))
    if new["participation"] not in Registration.Participation.values:
        add("participation", _("Choose how you will take part."))
    elif meeting.is_virtual and new["participation"] != Registration.Participation.REMOTE:
        add("participation", _("A virtual meeting is attended remotely only."))
    if new["head_of_delegation"] and registration.entity.category != MemberEntity.Category.ADMINISTRATION:
        add("head_of_delegation", _("Only Administrations of Member States declare a head of delegation."))
    # A request already made stays after its deadline; a new one needs its deadline open.
    for name, deadline, is_open, closed in (
        (
            "fellowship_requested",
            window.fellowship,
            window.fellowship_open,
            _("Fellowship requests closed on %(day)s."),
        ),
        ("visa_support_requested", window.visa, window.visa_open, _("Visa-support requests closed on %(day)s.")),
    ):
        if new[name] and not getattr(registration, name):
            if deadline is None:
                add(name, _("This meeting offers no fellowships or visa support."))
            elif not is_open and not by_secretariat:
                add(name, closed % {"day": format_date(deadline.day)})
    if new["visa_support_requested"]:
        if not new["nationality"]:
            add("nationality", _("The visa-support letter needs your nationality."))
        if not new["passport_number"].strip():
            add("passport_number", _("The visa-support letter needs your passport number."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def change_registration(
    registration: Registration,
    *,
    by,
    participation: str,
    head_of_delegation: bool = False,
    fellowship_requested: bool = False,
    visa_support_requested: bool = False,
    nationality: str = "",
    passport_number: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Changes the details of a live registration; ``by`` is its delegate (until the registration deadline,
    read inside this transaction) or the secretariat (at any time).

    Side effects, in order:
    1. the registration row is locked; one no longer live raises ``AlreadyDecided``;
    2. the rules are checked (``ValidationError`` with the fields at fault; nothing is written);
    3. the changed fields are saved, and a history entry lists each change (state unchanged);
    4. if the registration is approved, or a fellowship or visa request was added, one mail to each focal point
       of the entity saying what changed (dedupe key per history entry and focal point).
    Nothing is written when nothing changed.
    """
    by_secretariat = is_secretariat(by)
    if by.pk != registration.delegate_id and not by_secretariat:
        raise PermissionDenied
    now = now or timezone.now()
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("meeting__study_group", "delegate", "entity")
        .get(pk=registration.pk)
    )
    if registration.state not in LIVE_STATES:
        raise AlreadyDecided(registration)
    meeting = (
        Meeting.objects.prefetch_related("deadlines").select_related("study_group").get(pk=registration.meeting_id)
    )
    registration.meeting = meeting
    new = {
        "participation": participation,
        "head_of_delegation": bool(head_of_delegation),
        "fellowship_requested": bool(fellowship_requested),
        "visa_support_requested": bool(visa_support_requested),
        "nationality": nationality if visa_support_requested else "",
        "passport_number": passport_number.strip() if visa_support_requested else "",
    }
    _check(registration, registration_window(meeting, now=now), new, by_secretariat=by_secretariat)
    before = {name: _shown(registration, name) for name in EDITABLE}
    added_request = (new["fellowship_requested"] and not registration.fellowship_requested) or (
        new["visa_support_requested"] and not registration.visa_support_requested
    )
    changed = [name for name in EDITABLE if getattr(registration, name) != new[name]]
    if not changed:
        return registration
    for name in changed:
        setattr(registration, name, new[name])
    registration.save(update_fields=changed)
    lines = [
        _("%(what)s: %(before)s → %(after)s")
        % {
            "what": Registration._meta.get_field(name).verbose_name,
            "before": before[name],
            "after": _shown(registration, name),
        }
        for name in changed
    ]
    event = RegistrationEvent.objects.create(
        registration=registration,
        actor=by,
        at=now,
        from_state=registration.state,
        to_state=registration.state,
        reason="; ".join(str(line) for line in lines)[:1000],
    )
    if registration.state == Registration.State.APPROVED or added_request:
        context = mail.registration_context(registration, changes=lines, changed_by=by)
        people = mail.focal_points_by_entity([registration.entity_id]).get(registration.entity_id, [])
        queue_rendered(
            [
                render_mail(
                    to=person.email,
                    language=person.language,
                    template="registration/mail/changed",
                    context={**context, "focal_point": person},
                    dedupe_key=f"registration:{registration.pk}:changed:{event.pk}:{person.pk}",
                )
                for person in people
                if person.pk != by.pk
            ]
        )
    return registration
