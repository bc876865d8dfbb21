"""Factories for the agenda tests: members, approved registrations, Questions, agenda items and sessions."""

import datetime

import factory
from django.utils import timezone

from agenda.models import AgendaItem, AgendaVersion, Session, TimePlanVersion
from meetings.models import Question
from registration.models import Affiliation, MemberEntity, Registration
from tests.factories import MeetingFactory, StudyGroupFactory, UserFactory


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        django_get_or_create = ["study_group", "number"]

    study_group = factory.SubFactory(StudyGroupFactory)
    number = factory.Sequence(lambda n: n % 90 + 1)
    title = factory.LazyAttribute(lambda q: f"Question {q.number}")


class MemberEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberEntity

    name = factory.Sequence(lambda n: f"Administration {n}")
    category = MemberEntity.Category.ADMINISTRATION
    country = "CH"


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(MemberEntityFactory)
    state = Affiliation.State.APPROVED


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    delegate = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(MemberEntityFactory)
    state = Registration.State.APPROVED


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
