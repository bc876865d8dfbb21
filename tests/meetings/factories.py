"""Factories of the meetings tests, next to the shared ones in tests/factories.py."""

import datetime
import zoneinfo

import factory

from meetings.models import SideEvent
from tests.factories import MeetingFactory

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")


def geneva(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=GENEVA)


class SideEventFactory(factory.django.DjangoModelFactory):
    """The newcomers' tutorial of the reference letter: Monday 23 August 2021, 10:00-11:00 Geneva time."""

    class Meta:
        model = SideEvent

    meeting = factory.SubFactory(MeetingFactory)
    title = "SG17 Overview for Newcomers"
    kind = SideEvent.Kind.TUTORIAL
    starts_at = factory.LazyAttribute(lambda e: geneva(e.meeting.first_day - datetime.timedelta(days=1), 10))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=1))
