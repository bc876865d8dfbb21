"""What the periodic sweep does: expire what the meeting's start leaves pending, and send the reminders.

Each part finds its due work by querying the database, so a worker that was down catches up on its next
run; every mail has a dedupe key, so running the sweep twice sends nothing twice.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import deadlines
from meetings.models import KeyDeadline, Meeting
from notifications.services import queue_rendered, render_mail

from ..models import Affiliation, MemberEntity, Registration
from . import mail
from .bulk import transition_many

State = Registration.State
WAITING_BEFORE_DAILY_REMINDER = datetime.timedelta(days=1)
LAST_CALL_BEFORE_DEADLINE = datetime.timedelta(days=3)
REMINDER_BEFORE_MEETING = datetime.timedelta(days=2)


def sweep_registrations(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Runs every part of the sweep in order; returns how many registrations or mails each part handled."""
    now = now or timezone.now()
    return {
        "expired": expire_pending_registrations(now=now),
        "daily_reminders": remind_focal_points_daily(now=now),
        "last_calls": remind_focal_points_before_deadline(now=now),
        "meeting_reminders": remind_delegates_before_meeting(now=now),
    }


def expire_pending_registrations(*, now: datetime.datetime) -> int:
    """Registrations still pending when their meeting starts expire.

    Side effects, in order, per started meeting and in one transaction: the registrations made before the
    start and still pending become expired, with a history entry each; a mail to each delegate; one mail to
    each focal point of each entity concerned, listing its expired registrations.
    """
    tomorrow = (now + datetime.timedelta(days=1)).date()
    meetings = Meeting.objects.filter(first_day__lte=tomorrow, registrations__state=State.PENDING).distinct()
    expired = 0
    for meeting in meetings.select_related("study_group"):
        if meeting.starts_at > now:
            continue
        with transaction.atomic():
            ids = Registration.objects.filter(
                meeting=meeting, state=State.PENDING, created_at__lt=meeting.starts_at
            ).values_list("pk", flat=True)
            outcome = transition_many(
                list(ids),
                from_state=State.PENDING,
                to_state=State.EXPIRED,
                by=None,
                reason=_("No decision before the meeting started."),
                now=now,
            )
            links = mail.meeting_links(meeting)
            mails = [mail.registration_mail(r, "expired", links=links) for r in outcome.decided]
            by_entity = defaultdict(list)
            for r in outcome.decided:
                by_entity[r.entity].append(r)
            people = mail.focal_points_by_entity(e.pk for e in by_entity)
            for entity, registrations in by_entity.items():
                mails += [
                    render_mail(
                        to=person.email,
                        language=person.language,
                        template="registration/mail/expired_focal_point",
                        context={"meeting": meeting, "entity": entity, "registrations": registrations, **links},
                        dedupe_key=f"registration:expired:{meeting.pk}:{entity.pk}:{person.pk}",
                    )
                    for person in people.get(entity.pk, [])
                ]
            queue_rendered(mails)
            expired += len(outcome.decided)
    return expired


def _waiting_by_focal_point(registrations, affiliations=None) -> dict:
    """{focal point: {"registrations": [(entity, count)], "affiliations": [(entity, count)]}} in three queries."""
    reg_counts = {row["entity_id"]: row["n"] for row in registrations.values("entity_id").annotate(n=Count("pk"))}
    aff_counts = {}
    if affiliations is not None:
        aff_counts = {row["entity_id"]: row["n"] for row in affiliations.values("entity_id").annotate(n=Count("pk"))}
    entity_ids = set(reg_counts) | set(aff_counts)
    if not entity_ids:
        return {}
    entities = MemberEntity.objects.in_bulk(entity_ids)
    waiting = defaultdict(lambda: {"registrations": [], "affiliations": []})
    for entity_id, people in mail.focal_points_by_entity(entity_ids).items():
        for person in people:
            if entity_id in reg_counts:
                waiting[person]["registrations"].append((entities[entity_id], reg_counts[entity_id]))
            if entity_id in aff_counts:
                waiting[person]["affiliations"].append((entities[entity_id], aff_counts[entity_id]))
    return waiting


def remind_focal_points_daily(*, now: datetime.datetime) -> int:
    """Once a day, each focal point with requests waiting since the day before hears how many.

    Side effects, in order: one mail per focal point and UTC day (dedupe key), listing per entity the pending
    registrations for announced meetings and the pending affiliation requests.
    """
    since = now - WAITING_BEFORE_DAILY_REMINDER
    registrations = Registration.objects.filter(
        state=State.PENDING, created_at__lte=since, meeting__state=Meeting.State.ANNOUNCED
    ).order_by()
    affiliations = Affiliation.objects.filter(state=Affiliation.State.PENDING, requested_at__lte=since).order_by()
    waiting = _waiting_by_focal_point(registrations, affiliations)
    queue_url = mail.absolute(reverse("registration:queue"))
    day = now.date().isoformat()
    return mail.queue_due(
        [
            mail.DueMail(
                dedupe_key=f"registration:daily-reminder:{person.pk}:{day}",
                recipient=person.email,
                template="registration/mail/daily_reminder",
                context=lambda person=person, items=items: {"focal_point": person, "queue_url": queue_url, **items},
            )
            for person, items in waiting.items()
        ]
    )


def remind_focal_points_before_deadline(*, now: datetime.datetime) -> int:
    """Three days before a meeting's registration deadline, a last reminder to the focal points with pending ones.

    Side effects, in order: one mail per meeting and focal point (dedupe key).
    """
    today = now.date()
    candidates = KeyDeadline.objects.filter(
        kind=deadlines.REGISTRATION,
        meeting__state=Meeting.State.ANNOUNCED,
        day__range=(today - datetime.timedelta(days=1), today + datetime.timedelta(days=4)),
    ).select_related("meeting__study_group")
    queue_url = mail.absolute(reverse("registration:queue"))
    due = []
    for deadline in candidates:
        if not (deadline.closes_at - LAST_CALL_BEFORE_DEADLINE <= now < deadline.closes_at):
            continue
        meeting = deadline.meeting
        pending = Registration.objects.filter(meeting=meeting, state=State.PENDING).order_by()
        for person, items in _waiting_by_focal_point(pending).items():
            due.append(
                mail.DueMail(
                    dedupe_key=f"registration:last-call:{meeting.pk}:{person.pk}",
                    recipient=person.email,
                    template="registration/mail/last_call",
                    context=lambda person=person, items=items, meeting=meeting, deadline=deadline: {
                        "focal_point": person,
                        "meeting": meeting,
                        "deadline": deadline,
                        "queue_url": queue_url,
                        **items,
                    },
                )
            )
    return mail.queue_due(due)


def remind_delegates_before_meeting(*, now: datetime.datetime) -> int:
    """Two days before a meeting starts, each approved delegate gets the join details once more.

    Side effects, in order: one mail per approved registration (dedupe key).
    """
    today = now.date()
    meetings = Meeting.objects.filter(
        state=Meeting.State.ANNOUNCED,
        first_day__range=(today - datetime.timedelta(days=1), today + datetime.timedelta(days=3)),
    )
    due_meetings = [m for m in meetings if m.starts_at - REMINDER_BEFORE_MEETING <= now < m.starts_at]
    if not due_meetings:
        return 0
    registrations = Registration.objects.filter(meeting__in=due_meetings, state=State.APPROVED).select_related(
        "meeting__study_group", "delegate", "entity"
    )
    links = {m.pk: mail.meeting_links(m) for m in due_meetings}
    return mail.queue_due(
        [
            mail.DueMail(
                dedupe_key=f"registration:{r.pk}:meeting_reminder",
                recipient=r.delegate.email,
                template="registration/mail/meeting_reminder",
                context=lambda r=r: mail.registration_context(r, links[r.meeting_id]),
            )
            for r in registrations
        ]
    )
