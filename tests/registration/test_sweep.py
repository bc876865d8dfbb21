import datetime

import pytest

from notifications.models import OutgoingMail
from registration import services
from registration.models import Registration, RegistrationEvent
from registration.windows import registration_window
from tests.factories import AffiliationFactory, UserFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def keys():
    return sorted(OutgoingMail.objects.values_list("dedupe_key", flat=True))


@pytest.fixture
def pending(meeting, member, entity):
    registration = services.register(meeting, delegate=member, entity=entity, by=member)
    OutgoingMail.objects.all().delete()
    return registration


def test_sweep_expires_pending_registrations_when_meeting_starts(pending, meeting, focal_point):
    services.sweep_registrations(now=meeting.starts_at - datetime.timedelta(seconds=1))
    assert Registration.objects.get().state == Registration.State.PENDING

    result = services.sweep_registrations(now=meeting.starts_at)

    assert result["expired"] == 1
    assert Registration.objects.get().state == Registration.State.EXPIRED
    assert RegistrationEvent.objects.filter(to_state="expired", actor=None).count() == 1
    assert [k for k in keys() if "expired" in k] == [
        f"registration:{pending.pk}:expired",
        f"registration:expired:{meeting.pk}:{pending.entity_id}:{focal_point.pk}",
    ]


def test_sweep_daily_reminder_once_a_day_while_requests_wait(pending, focal_point):
    # Requested in the morning (UTC), so the sweeps an hour and two hours after a day fall on the same UTC day.
    requested = pending.created_at.replace(hour=9, minute=0)
    Registration.objects.filter(pk=pending.pk).update(created_at=requested)

    services.sweep_registrations(now=requested + HOUR)
    assert keys() == []  # the focal point heard of it at once; the daily reminder starts the next day

    # Two sweeps an hour apart inside one UTC day, whatever the hour the request was made at.
    day_one = (requested + 2 * DAY).replace(hour=1, minute=0, second=0, microsecond=0)
    services.sweep_registrations(now=day_one)
    services.sweep_registrations(now=day_one + HOUR)
    assert keys() == [f"registration:daily-reminder:{focal_point.pk}:{day_one.date().isoformat()}"]

    services.sweep_registrations(now=day_one + DAY)
    assert len(keys()) == 2


def test_sweep_daily_reminder_counts_affiliation_requests(entity, focal_point):
    AffiliationFactory(user=UserFactory(), entity=entity, state="pending")

    services.sweep_registrations(now=datetime.datetime.now(datetime.UTC) + 2 * DAY)

    mail = OutgoingMail.objects.get()
    assert (mail.recipient, "Republic of Korea: 1 affiliation request" in mail.body_text) == (focal_point.email, True)


def test_sweep_last_call_three_days_before_registration_deadline(pending, meeting, focal_point):
    closes_at = registration_window(meeting).registration.closes_at

    services.sweep_registrations(now=closes_at - 3 * DAY - datetime.timedelta(seconds=1))
    assert [k for k in keys() if "last-call" in k] == []

    services.sweep_registrations(now=closes_at - 3 * DAY)
    services.sweep_registrations(now=closes_at - DAY)

    assert [k for k in keys() if "last-call" in k] == [f"registration:last-call:{meeting.pk}:{focal_point.pk}"]


def test_sweep_reminds_approved_delegates_two_days_before_meeting(pending, meeting, focal_point):
    services.approve_registration(pending, by=focal_point)

    services.sweep_registrations(now=meeting.starts_at - 2 * DAY - datetime.timedelta(seconds=1))
    assert f"registration:{pending.pk}:meeting_reminder" not in keys()

    services.sweep_registrations(now=meeting.starts_at - 2 * DAY)

    mail = OutgoingMail.objects.get(dedupe_key=f"registration:{pending.pk}:meeting_reminder")
    assert meeting.join_details in mail.body_text


def test_sweep_run_twice_sends_each_reminder_once(meeting, member, entity, focal_point):
    approved = services.register(meeting, delegate=focal_point, entity=entity, by=focal_point)
    waiting = services.register(meeting, delegate=member, entity=entity, by=member)
    Registration.objects.filter(pk=waiting.pk).update(created_at=meeting.starts_at - 5 * DAY)
    OutgoingMail.objects.all().delete()
    now = meeting.starts_at - DAY  # daily reminder and the meeting reminder are due

    first = services.sweep_registrations(now=now)
    sent = keys()
    second = services.sweep_registrations(now=now)

    assert first == {"expired": 0, "daily_reminders": 1, "last_calls": 0, "meeting_reminders": 1}
    assert second == {"expired": 0, "daily_reminders": 0, "last_calls": 0, "meeting_reminders": 0}
    assert (
        keys()
        == sent
        == [
            f"registration:{approved.pk}:meeting_reminder",
            f"registration:daily-reminder:{focal_point.pk}:{now.date().isoformat()}",
        ]
    )

    services.sweep_registrations(now=meeting.starts_at + HOUR)
    services.sweep_registrations(now=meeting.starts_at + HOUR)
    assert OutgoingMail.objects.filter(dedupe_key__contains="expired").count() == 2


def test_sweep_task_runs(pending):
    from registration.tasks import sweep

    assert sweep() == {"expired": 0, "daily_reminders": 0, "last_calls": 0, "meeting_reminders": 0}
