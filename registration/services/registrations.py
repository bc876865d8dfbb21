"""The registration workflow: register, then approve, reject or cancel (many at once: ``bulk.py``).

Every decision is a compare-and-set on the state (``UPDATE ... WHERE state = 'pending'``): of two people
deciding at once, one changes the row and the other gets ``AlreadyDecided`` naming who decided and when.

Entities and membership, as decided here:
- A delegate may register for any entity, not only those they are a confirmed member of. Without an
  affiliation, registering creates a pending one; the focal point's approval of the registration confirms it
  (a rejection leaves it pending, for the focal point to decide on its own). An affiliation the focal point
  declined blocks registering for that entity (only the secretariat can still do it).
- Automatic approval (TSB Circular 118) applies to the entity's *confirmed* members. Approving someone
  automatically would also make them a member (documents, contributions), so a person whose affiliation is not
  confirmed always waits for a focal point. A focal point's own registration for their entity is approved at once.
- One *live* (pending or approved) registration per person and meeting; after a rejection, cancellation or
  expiry the person may register again, as a new registration with its own history.
"""

import datetime
from functools import reduce
from operator import or_

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_secretariat
from meetings.models import Meeting
from notifications.services import queue_rendered
from sg17portal.dates import format_date, format_datetime
from sg17portal.errors import Conflict

from ..fragments import affiliations_changed, registrations_changed
from ..models import Affiliation, MemberEntity, Registration, RegistrationEvent
from ..windows import registration_window
from . import mail

State = Registration.State
LIVE_STATES = (State.PENDING, State.APPROVED)
RELATED = ("meeting__study_group", "delegate", "entity", "decided_by")


class AlreadyDecided(Conflict):
    """Someone changed the registration (or affiliation) first; ``obj`` holds its state now."""

    level = messages.WARNING

    def __init__(self, obj):
        self.obj = obj
        super().__init__(f"{obj._meta.model_name} {obj.pk} is already {obj.state}.")

    @property
    def registration(self):
        return self.obj

    @property
    def message(self) -> str:
        obj = self.obj
        values = {
            "what": obj._meta.verbose_name,
            "state": obj.get_state_display().lower(),
            "who": obj.decided_by,
            "when": format_datetime(obj.decided_at),
        }
        if obj.decided_by:
            return _("This %(what)s was already %(state)s by %(who)s on %(when)s.") % values
        if obj.decided_at:
            return _("This %(what)s was already %(state)s on %(when)s.") % values
        return _("This %(what)s is %(state)s: nothing was changed.") % values


def confirm_affiliations(pairs: set[tuple[int, int]], *, by, at) -> None:
    """An approved registration confirms the person's affiliation to its entity. The affiliations already approved
    (nearly always: a member registers) are left as they are, and what shows them is not replaced; the others are
    created or approved (three statements for any count)."""
    if not pairs:
        return
    of_pairs = reduce(or_, (Q(user_id=u, entity_id=e) for u, e in pairs))
    approved = Affiliation.objects.filter(of_pairs, state=Affiliation.State.APPROVED)
    pairs = pairs - set(approved.values_list("user_id", "entity_id"))
    if not pairs:
        return
    Affiliation.objects.bulk_create(
        [
            Affiliation(user_id=u, entity_id=e, state=Affiliation.State.APPROVED, decided_by=by, decided_at=at)
            for u, e in pairs
        ],
        ignore_conflicts=True,
    )
    Affiliation.objects.filter(of_pairs).exclude(state=Affiliation.State.APPROVED).update(
        state=Affiliation.State.APPROVED, decided_by=by, decided_at=at, reason=""
    )
    affiliations_changed()


def _check_request(
    meeting,
    *,
    delegate,
    entity,
    by_secretariat,
    participation,
    head_of_delegation,
    fellowship_requested,
    visa_support_requested,
    nationality,
    passport_number,
    now,
):
    """The rules of the form, checked again in the transaction. Returns whether the registration is late."""
    window = registration_window(meeting, now=now)
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if meeting.state != Meeting.State.ANNOUNCED:
        raise ValidationError(_("This meeting does not take registrations."))
    if not window.open_to_delegates and not by_secretariat:
        day = format_date(window.registration.day)
        raise ValidationError(
            _(
                "Registration for this meeting closed on %(day)s (end of day, %(zone)s time). "
                "Only the secretariat can still register you."
            )
            % {"day": day, "zone": meeting.time_zone}
        )
    if Registration.objects.filter(meeting=meeting, delegate=delegate, state__in=LIVE_STATES).exists():
        raise ValidationError(_("%(person)s is already registered for this meeting.") % {"person": delegate})
    if meeting.is_virtual and participation != Registration.Participation.REMOTE:
        add("participation", _("A virtual meeting is attended remotely only."))
    if participation not in Registration.Participation.values:
        add("participation", _("Choose how you will take part."))
    if head_of_delegation and entity.category != MemberEntity.Category.ADMINISTRATION:
        add("head_of_delegation", _("Only Administrations of Member States declare a head of delegation."))
    if fellowship_requested:
        if window.fellowship is None:
            add("fellowship_requested", _("This meeting offers no fellowships."))
        elif not window.fellowship_open and not by_secretariat:
            add(
                "fellowship_requested",
                _("Fellowship requests closed on %(day)s.") % {"day": format_date(window.fellowship.day)},
            )
    if visa_support_requested:
        if window.visa is None:
            add("visa_support_requested", _("Visa support does not apply to this meeting."))
        elif not window.visa_open and not by_secretariat:
            add(
                "visa_support_requested",
                _("Visa-support requests closed on %(day)s.") % {"day": format_date(window.visa.day)},
            )
        if not nationality:
            add("nationality", _("Select your nationality: the visa-support letter needs it."))
        if not passport_number.strip():
            add("passport_number", _("Enter your passport number: the visa-support letter needs it."))
    if errors:
        raise ValidationError(errors)
    return not window.on_time


@transaction.atomic
def register(
    meeting: Meeting,
    *,
    delegate,
    entity: MemberEntity,
    by,
    participation: str = Registration.Participation.REMOTE,
    head_of_delegation: bool = False,
    fellowship_requested: bool = False,
    visa_support_requested: bool = False,
    nationality: str = "",
    passport_number: str = "",
    approve_at_once: bool = False,
    now: datetime.datetime | None = None,
) -> Registration:
    """Registers ``delegate`` for ``meeting`` on behalf of ``entity``; ``by`` is the delegate or the secretariat.

    The clock is read inside this transaction: the registration deadline holds until the end of its day in the
    meeting's zone, unless the meeting allows late registration (then the registration is marked late). The
    secretariat may register someone at any time, and may approve at once.

    Side effects, in order:
    1. the rules are checked (``ValidationError`` with the fields at fault; nothing is written);
    2. a pending affiliation to the entity is created if the delegate had none (the focal point's approval of
       the registration will confirm it);
    3. the registration row (pending) and its first history entry;
    4. automatic approval when the delegate is a focal point of the entity, or the entity approves
       automatically and the delegate is a confirmed member (history entry marked automatic, affiliation
       confirmed); or approval by the secretariat when ``approve_at_once``;
    5. mails: the receipt to the delegate, then the approval to the delegate if approved, else the new
       request to each focal point of the entity.
    """
    by_secretariat = is_secretariat(by)
    if by.pk != delegate.pk and not by_secretariat:
        raise PermissionDenied
    meeting = Meeting.objects.select_related("study_group").prefetch_related("deadlines").get(pk=meeting.pk)
    now = now or timezone.now()
    affiliation = Affiliation.objects.filter(user=delegate, entity=entity).first()
    if affiliation and affiliation.state == Affiliation.State.DECLINED and not by_secretariat:
        raise ValidationError(
            {
                "entity": _("%(entity)s's focal point declined your affiliation: ask them, or choose another entity.")
                % {"entity": entity}
            }
        )
    is_late = _check_request(
        meeting,
        delegate=delegate,
        entity=entity,
        by_secretariat=by_secretariat,
        participation=participation,
        head_of_delegation=head_of_delegation,
        fellowship_requested=fellowship_requested,
        visa_support_requested=visa_support_requested,
        nationality=nationality,
        passport_number=passport_number,
        now=now,
    )
    if affiliation is None:
        affiliation, _created = Affiliation.objects.get_or_create(
            user=delegate, entity=entity, defaults={"requested_at": now}
        )
    needs_affiliation = affiliation.state != Affiliation.State.APPROVED
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                meeting=meeting,
                delegate=delegate,
                entity=entity,
                participation=participation,
                head_of_delegation=head_of_delegation,
                fellowship_requested=fellowship_requested,
                visa_support_requested=visa_support_requested,
                nationality=nationality if visa_support_requested else "",
                passport_number=passport_number.strip() if visa_support_requested else "",
                is_late=is_late,
                registered_by=by,
                created_at=now,
            )
    except IntegrityError:
        # Another request of the same person won the race for the one live registration.
        raise ValidationError(_("%(person)s is already registered for this meeting.") % {"person": delegate}) from None
    RegistrationEvent.objects.create(
        registration=registration,
        actor=by,
        at=now,
        from_state="",
        to_state=State.PENDING,
        reason=_("Registered by the secretariat.") if by.pk != delegate.pk else "",
    )

    automatic = entity.focal_points.filter(pk=delegate.pk).exists() or (entity.auto_approval and not needs_affiliation)
    if automatic or approve_at_once:
        decider = None if automatic else by
        Registration.objects.filter(pk=registration.pk).update(
            state=State.APPROVED, approved_automatically=automatic, decided_by=decider, decided_at=now
        )
        registrations_changed(delegate.pk)
        registration.state, registration.approved_automatically = State.APPROVED, automatic
        registration.decided_by, registration.decided_at = decider, now
        RegistrationEvent.objects.create(
            registration=registration,
            actor=decider,
            at=now,
            from_state=State.PENDING,
            to_state=State.APPROVED,
            automatic=automatic,
        )
        confirm_affiliations({(delegate.pk, entity.pk)}, by=decider, at=now)

    links = mail.meeting_links(meeting)
    mails = [mail.registration_mail(registration, "received", links=links, needs_affiliation=needs_affiliation)]
    if registration.state == State.APPROVED:
        mails.append(mail.registration_mail(registration, "approved", links=links))
    else:
        mails.extend(mail.new_request_mails(registration, needs_affiliation=needs_affiliation))
    queue_rendered(mails)
    return registration


def _decide_one(registration: Registration, *, to_state: str, by, reason: str, now) -> Registration:
    """The compare-and-set of one decision on a pending registration."""
    changed = Registration.objects.filter(pk=registration.pk, state=State.PENDING).update(
        state=to_state, decided_by=by, decided_at=now, reason=reason
    )
    registrations_changed(registration.delegate_id)
    current = Registration.objects.select_related(*RELATED).get(pk=registration.pk)
    if not changed:
        raise AlreadyDecided(current)
    RegistrationEvent.objects.create(
        registration=current, actor=by, at=now, from_state=State.PENDING, to_state=to_state, reason=reason
    )
    return current


@transaction.atomic
def approve_registration(registration: Registration, *, by, reason: str = "", now=None) -> Registration:
    """Approves a pending registration.

    Side effects, in order: the state becomes approved if it still was pending (else ``AlreadyDecided``);
    a history entry; the delegate's affiliation to the entity is confirmed; the approval mail with the
    remote-participation details and the calendar link.
    """
    now = now or timezone.now()
    registration = _decide_one(registration, to_state=State.APPROVED, by=by, reason=reason, now=now)
    confirm_affiliations({(registration.delegate_id, registration.entity_id)}, by=by, at=now)
    queue_rendered([mail.registration_mail(registration, "approved")])
    return registration


@transaction.atomic
def reject_registration(registration: Registration, *, by, reason: str, now=None) -> Registration:
    """Rejects a pending registration; a reason is required.

    Side effects, in order: the state becomes rejected if it still was pending (else ``AlreadyDecided``);
    a history entry; the rejection mail with the reason.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the delegate a reason for the rejection.")})
    now = now or timezone.now()
    registration = _decide_one(registration, to_state=State.REJECTED, by=by, reason=reason.strip(), now=now)
    queue_rendered([mail.registration_mail(registration, "rejected")])
    return registration


@transaction.atomic
def cancel_registration(registration: Registration, *, by, reason: str = "", now=None) -> Registration:
    """Cancels a pending or approved registration (by its delegate or the secretariat).

    Side effects, in order: the row is locked and its state becomes cancelled if it still was pending or
    approved (else ``AlreadyDecided``); a history entry; the cancellation mail to the delegate.
    """
    now = now or timezone.now()
    locked = Registration.objects.select_for_update().filter(pk=registration.pk).values_list("state", flat=True)
    before = locked.first()
    changed = Registration.objects.filter(pk=registration.pk, state__in=LIVE_STATES).update(
        state=State.CANCELLED, decided_by=by, decided_at=now, reason=reason
    )
    registrations_changed(registration.delegate_id)
    current = Registration.objects.select_related(*RELATED).get(pk=registration.pk)
    if not changed:
        raise AlreadyDecided(current)
    RegistrationEvent.objects.create(
        registration=current, actor=by, at=now, from_state=before, to_state=State.CANCELLED, reason=reason
    )
    queue_rendered([mail.registration_mail(current, "cancelled", cancelled_by_delegate=by.pk == current.delegate_id)])
    return current
