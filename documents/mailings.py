"""Mail the documents app sends on time: deadline reminders and daily digests, found by a periodic sweep.

Each function queries the database for what is due and writes outbox rows with dedupe keys, so running
the sweep twice, or two sweeps at once, sends nothing twice.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meetings.deadlines import end_of_day
from meetings.models import KeyDeadline, Meeting
from notifications.models import OutgoingMail
from notifications.services import queue_mail, queue_rendered, render_mail
from registration.models import Registration

from .models import DailyRun, DigestSubscription
from .queries import documents_visible_to, pending_td_drafts
from .td_queue import discard_unconfirmed_td_drafts

REMINDER_STAGES = (1, 3)  # days before the end of the contributions deadline
DIGEST_HOUR = 7  # the secretariat's digest of the queue goes out from this hour, Geneva time


def send_contribution_reminders(*, now: datetime.datetime | None = None) -> int:
    """Reminds the people registered for a meeting (approved or pending) of its contributions deadline.

    A reminder goes out once when three days or less remain, and once more when one day or less remains; a
    sweep that first runs inside the last day sends only the one-day reminder. Returns how many were queued.
    Side effects, in order: per meeting due, the missing reminders are rendered and queued in one statement.
    """
    now = now or timezone.now()
    due = KeyDeadline.objects.filter(
        kind=KeyDeadline.Kind.CONTRIBUTIONS,
        meeting__state=Meeting.State.ANNOUNCED,
        day__gte=(now - datetime.timedelta(days=2)).date(),
        day__lte=(now + datetime.timedelta(days=4)).date(),
    ).select_related("meeting__study_group")
    queued = 0
    for deadline in due:
        remaining = deadline.closes_at - now
        if remaining <= datetime.timedelta(0):
            continue
        stage = next((days for days in REMINDER_STAGES if remaining <= datetime.timedelta(days=days)), None)
        if stage is None:
            continue
        meeting = deadline.meeting
        registrations = (
            Registration.objects.filter(
                meeting=meeting,
                state__in=[Registration.State.APPROVED, Registration.State.PENDING],
                delegate__is_active=True,
            )
            .select_related("delegate")
            .order_by("id")
        )
        keyed = {
            f"documents:contributions-reminder:{meeting.pk}:{deadline.day.isoformat()}:{stage}:{r.delegate_id}": r
            for r in registrations
        }
        sent = set(OutgoingMail.objects.filter(dedupe_key__in=list(keyed)).values_list("dedupe_key", flat=True))
        mails = [
            render_mail(
                to=registration.delegate.email,
                language=registration.delegate.language,
                template="documents/mail/contributions_reminder",
                context={
                    "meeting": meeting,
                    "deadline": deadline,
                    "days": stage,
                    "person": registration.delegate,
                    "url": settings.SITE_URL + reverse("documents:post_contribution", args=[meeting.pk]),
                },
                dedupe_key=key,
            )
            for key, registration in keyed.items()
            if key not in sent
        ]
        with transaction.atomic():
            queued += queue_rendered(mails)
    return queued


def send_meeting_digests(*, now: datetime.datetime | None = None) -> int:
    """Sends each subscriber the documents of a meeting posted or revised since the last digest (daily).

    A digest covers whole days in the meeting's zone up to the end of yesterday; a subscriber sees only what
    he or she may read at sending time. Returns how many digests were queued. Side effects, in order, per
    subscription due (locked, so a concurrent sweep skips it): the digest is queued if there is anything new;
    the subscription's last digest day is moved to yesterday.
    """
    now = now or timezone.now()
    queued = 0
    candidates = DigestSubscription.objects.filter(
        meeting__last_day__gte=(now - datetime.timedelta(days=3)).date()
    ).exclude(meeting__state=Meeting.State.DRAFT)
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            subscription = (
                DigestSubscription.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("meeting__study_group", "user")
                .filter(pk=pk)
                .first()
            )
            if subscription is None:
                continue
            meeting = subscription.meeting
            yesterday = now.astimezone(meeting.zone).date() - datetime.timedelta(days=1)
            if subscription.last_digest_day is not None and subscription.last_digest_day >= yesterday:
                continue
            first_day = (
                subscription.last_digest_day + datetime.timedelta(days=1)
                if subscription.last_digest_day
                else subscription.created_at.astimezone(meeting.zone).date() - datetime.timedelta(days=1)
            )
            start = end_of_day(first_day - datetime.timedelta(days=1), meeting.time_zone)
            end = end_of_day(yesterday, meeting.time_zone)
            documents = list(
                documents_visible_to(subscription.user)
                .filter(meeting=meeting, last_revised_at__gte=start, last_revised_at__lt=end)
                .select_related("study_group")
                .order_by("kind", "series", "number")
            )
            if documents and subscription.user.is_active:
                queued += queue_mail(
                    to=subscription.user.email,
                    language=subscription.user.language,
                    template="documents/mail/digest",
                    context={
                        "meeting": meeting,
                        "documents": documents,
                        "first_day": first_day,
                        "last_day": yesterday,
                        "url": settings.SITE_URL + reverse("documents:list", args=[meeting.pk]),
                    },
                    dedupe_key=f"documents:digest:{subscription.pk}:{yesterday.isoformat()}",
                )
            subscription.last_digest_day = yesterday
            subscription.save(update_fields=["last_digest_day"])
    return queued


def send_td_queue_digest(*, now: datetime.datetime | None = None) -> int:
    """Once a day, from 07:00 Geneva time, tells each member of the secretariat what waits in the TD queue.

    Returns how many mails were queued. Side effects, in order: the day's run is claimed under a row lock (a
    second sweep that day does nothing); if drafts are pending, one mail per secretariat member is queued.
    """
    now = now or timezone.now()
    local = now.astimezone(zoneinfo.ZoneInfo(settings.DEFAULT_MEETING_TIME_ZONE))
    if local.hour < DIGEST_HOUR:
        return 0
    today = local.date()
    with transaction.atomic():
        DailyRun.objects.get_or_create(name="td-queue-digest")
        run = DailyRun.objects.select_for_update().get(name="td-queue-digest")
        if run.last_day is not None and run.last_day >= today:
            return 0
        run.last_day = today
        run.save(update_fields=["last_day"])
        drafts = list(pending_td_drafts())
        if not drafts:
            return 0
        people = get_user_model().objects.filter(groups__name=settings.SECRETARIAT_GROUP, is_active=True).distinct()
        mails = [
            render_mail(
                to=person.email,
                language=person.language,
                template="documents/mail/td_queue_digest",
                context={"drafts": drafts, "person": person, "url": settings.SITE_URL + reverse("documents:td_queue")},
                dedupe_key=f"documents:td-queue-digest:{today.isoformat()}:{person.pk}",
            )
            for person in people
        ]
        return queue_rendered(mails)


def sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The periodic sweep of the documents app; safe to run at any time, any number of times."""
    return {
        "reminders": send_contribution_reminders(now=now),
        "digests": send_meeting_digests(now=now),
        "td_queue": send_td_queue_digest(now=now),
        "unconfirmed_drafts_discarded": discard_unconfirmed_td_drafts(now=now),
    }
