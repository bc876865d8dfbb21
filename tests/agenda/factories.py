"""Factories for the agenda tests: members registered for a meeting, agenda items and sessions, and the
draft time plan's sessions added and changed through the services."""

import datetime

import factory
from django.utils import timezone

from agenda import services
from agenda.models import AgendaItem, AgendaVersion, Session, TimePlanVersion
from registration.models import Registration
from tests.factories import AffiliationFactory, MeetingFactory, RegistrationFactory


def make_member(user, meeting=None, *, registration_state=Registration.State.APPROVED):
    """Gives ``user`` an approved affiliation, and a registration for ``meeting`` if one is given."""
    affiliation = AffiliationFactory(user=user)
    if meeting is not None:
        RegistrationFactory(meeting=meeting, delegate=user, entity=affiliation.entity, state=registration_state)
    return user


class DraftAgendaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaVersion

    meeting = factory.SubFactory(MeetingFactory)
    number = None


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    version = factory.SubFactory(DraftAgendaFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    position = 0


class DraftTimePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimePlanVersion

    meeting = factory.SubFactory(MeetingFactory)
    number = None


def at(meeting, day_offset, clock):
    """An aware time in the meeting's zone: ``at(meeting, 0, "10:00")`` is 10:00 on its first day."""
    hours, minutes = (int(part) for part in clock.split(":"))
    day = meeting.first_day + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=meeting.zone)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    version = factory.SubFactory(DraftTimePlanFactory)
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(hours=2))
    title = factory.Sequence(lambda n: f"Q{n % 15 + 1}/17")


def time_plan_revision(meeting):
    """The revision of the meeting's draft time plan, 0 before it has one."""
    draft = TimePlanVersion.objects.filter(meeting=meeting, number=None).first()
    return draft.revision if draft else 0


def _session_fields(meeting, by, day, start, end, title, room):
    return {
        "revision": time_plan_revision(meeting),
        "by": by,
        "starts_at": at(meeting, day, start),
        "ends_at": at(meeting, day, end),
        "title": title,
        "room": room,
    }


def add_session(meeting, by, day, start, end, title, room="", **fields):
    """Adds a session to the draft time plan as ``by``, on the day ``day`` of the meeting (0: its first) from
    ``start`` to ``end`` (``"10:00"``), at the draft's current revision."""
    return services.add_session(meeting, **_session_fields(meeting, by, day, start, end, title, room), **fields)


def change_session(session, by, day, start, end, title, room="", **fields):
    """Changes a session of the draft time plan as ``by``, its times given as to ``add_session``."""
    meeting = session.version.meeting
    return services.update_session(session, **_session_fields(meeting, by, day, start, end, title, room), **fields)
