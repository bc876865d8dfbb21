"""Events of the domain that other systems may follow (webhooks), published in the transaction of the change.

A domain app calls ``publish_event`` inside the transaction that made the change; receivers connected to
``event_published`` (the ``api`` app writes one webhook delivery row per subscribed endpoint) run in that same
transaction, so an event exists exactly when its change was committed. Like the mail outbox, this module
imports no domain app: the caller hands it a type, a unique id and a small JSON payload.
"""

import datetime

from django.dispatch import Signal
from django.utils import timezone

# Sent with: event_type (str), event_id (str, unique per event), occurred_at (datetime), data (dict).
event_published = Signal()

MEETING_ANNOUNCED = "meeting.announced"
MEETING_CHANGED = "meeting.changed"
DOCUMENT_POSTED = "document.posted"
DOCUMENT_REVISED = "document.revised"
AGENDA_PUBLISHED = "agenda.published"
TIME_PLAN_PUBLISHED = "time_plan.published"
EVENT_TYPES = (
    MEETING_ANNOUNCED,
    MEETING_CHANGED,
    DOCUMENT_POSTED,
    DOCUMENT_REVISED,
    AGENDA_PUBLISHED,
    TIME_PLAN_PUBLISHED,
)


def publish_event(*, event_type: str, event_id: str, data: dict, at: datetime.datetime | None = None) -> None:
    """Publishes one event in the caller's transaction.

    Side effects, in order: each receiver of ``event_published`` runs now, in this transaction (the webhook
    deliveries are written there and sent on commit).
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown event type {event_type!r}.")
    event_published.send(
        sender=publish_event, event_type=event_type, event_id=event_id, occurred_at=at or timezone.now(), data=data
    )
