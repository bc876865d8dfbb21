"""Decisions on many registrations at once, in a number of statements that does not depend on how many."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import queue_rendered

from ..fragments import registrations_changed
from ..models import Registration, RegistrationEvent
from . import mail
from .registrations import RELATED, State, confirm_affiliations


@dataclass
class BulkOutcome:
    decided: list[Registration] = field(default_factory=list)
    already_decided: list[Registration] = field(default_factory=list)


def transition_many(ids, *, from_state: str, to_state: str, by, reason: str, now) -> BulkOutcome:
    """Moves many registrations from one state to another in a fixed number of statements.

    The rows still in ``from_state`` are locked in id order (so two bulk decisions cannot deadlock), updated
    with the same compare-and-set condition, and given their history entries in one insert.
    """
    ids = sorted(set(ids))
    locked = list(
        Registration.objects.filter(pk__in=ids, state=from_state)
        .select_related("meeting__study_group", "delegate", "entity")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    locked_ids = [r.pk for r in locked]
    Registration.objects.filter(pk__in=locked_ids, state=from_state).update(
        state=to_state, decided_by=by, decided_at=now, reason=reason
    )
    registrations_changed(*(r.delegate_id for r in locked))
    for r in locked:
        r.state, r.decided_by, r.decided_at, r.reason = to_state, by, now, reason
    RegistrationEvent.objects.bulk_create(
        [
            RegistrationEvent(registration=r, actor=by, at=now, from_state=from_state, to_state=to_state, reason=reason)
            for r in locked
        ]
    )
    outcome = BulkOutcome(decided=locked)
    missed = set(ids) - set(locked_ids)
    if missed:
        outcome.already_decided = list(Registration.objects.filter(pk__in=missed).select_related(*RELATED))
    return outcome


@transaction.atomic
def approve_registrations(ids, *, by, reason: str = "", now=None) -> BulkOutcome:
    """Approves the given registrations that are still pending; the others are reported, not changed.

    Side effects, in order: the pending rows are locked and approved; one history entry each; the delegates'
    affiliations confirmed; one approval mail each, written in one statement. The number of queries does not
    depend on the number of registrations.
    """
    now = now or timezone.now()
    outcome = transition_many(ids, from_state=State.PENDING, to_state=State.APPROVED, by=by, reason=reason, now=now)
    confirm_affiliations({(r.delegate_id, r.entity_id) for r in outcome.decided}, by=by, at=now)
    links: dict[int, dict] = {}
    queue_rendered(
        [
            mail.registration_mail(r, "approved", links=links.setdefault(r.meeting_id, mail.meeting_links(r.meeting)))
            for r in outcome.decided
        ]
    )
    return outcome


@transaction.atomic
def reject_registrations(ids, *, by, reason: str, now=None) -> BulkOutcome:
    """Rejects the given registrations that are still pending, with one reason for all (required).

    Side effects, in order: the pending rows are locked and rejected; one history entry each; one rejection
    mail each, written in one statement.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the delegates a reason for the rejection.")})
    now = now or timezone.now()
    outcome = transition_many(
        ids, from_state=State.PENDING, to_state=State.REJECTED, by=by, reason=reason.strip(), now=now
    )
    links: dict[int, dict] = {}
    queue_rendered(
        [
            mail.registration_mail(r, "rejected", links=links.setdefault(r.meeting_id, mail.meeting_links(r.meeting)))
            for r in outcome.decided
        ]
    )
    return outcome
