"""A person whose calendar program fetches their time plan subscription is told of an addendum, once, even when
they are also a registrant."""

import datetime

import pytest

from agenda.calendar import calendar_token
from agenda.models import CalendarSubscription
from meetings import services as meetings_services
from meetings.models import KeyDeadline, Meeting
from notifications.models import OutgoingMail
from registration.models import Registration
from tests.agenda.factories import add_session, make_member
from tests.agenda.test_time_plan import publish
from tests.factories import UserFactory, open_meeting


@pytest.fixture
def announced(secretariat):
    meeting = meetings_services.announce_meeting(open_meeting(state=Meeting.State.DRAFT), by=secretariat)
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17")
    publish(meeting, secretariat)
    return meeting


def fetch_feed(client, user, meeting):
    response = client.get(f"/calendars/{calendar_token(user, meeting)}/time-plan.ics")
    assert response.status_code == 200


def move_registration_deadline(meeting, by):
    deadline = meeting.deadlines.get(kind=KeyDeadline.Kind.REGISTRATION)
    meetings_services.override_key_deadline(
        deadline, day=deadline.day - datetime.timedelta(days=3), reason="Host country", by=by
    )


def test_fetching_the_feed_records_the_subscriber_once(client, announced):
    reader = UserFactory()

    fetch_feed(client, reader, announced)
    fetch_feed(client, reader, announced)

    assert list(CalendarSubscription.objects.values_list("user", "meeting")) == [(reader.pk, announced.pk)]


def test_addendum_reaches_calendar_subscribers_and_registrants_once_each(client, announced, secretariat):
    subscriber = UserFactory()
    both = make_member(UserFactory(), announced, registration_state=Registration.State.APPROVED)
    fetch_feed(client, subscriber, announced)
    fetch_feed(client, both, announced)
    CalendarSubscription.objects.create(user=UserFactory(), meeting=open_meeting())  # another meeting's subscriber

    move_registration_deadline(announced, secretariat)

    recipients = sorted(
        OutgoingMail.objects.filter(dedupe_key__startswith="meetings:addendum:").values_list("recipient", flat=True)
    )
    assert recipients == sorted([subscriber.email, both.email])
