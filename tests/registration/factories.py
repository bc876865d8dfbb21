"""Factories of registration's models."""

import datetime

import factory
from django.utils import timezone

from registration.models import Affiliation, MemberEntity, Registration
from tests.factories import MeetingFactory, UserFactory


class MemberEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberEntity
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Administration {n}")
    category = MemberEntity.Category.ADMINISTRATION
    country = "CH"

    @factory.post_generation
    def focal_points(self, create, extracted, **kwargs):
        if create and extracted:
            self.focal_points.set(extracted)


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(MemberEntityFactory)
    state = Affiliation.State.APPROVED


def upcoming_meeting(**kwargs):
    """An announced hybrid meeting in about three months: registration, fellowships and visas all open."""
    first_day = timezone.localdate() + datetime.timedelta(days=90)
    return MeetingFactory(**{"format": "hybrid", "first_day": first_day, "venue": "ITU headquarters, Geneva", **kwargs})


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A pending registration written directly (no workflow): for lists, queues and benchmarks."""

    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    delegate = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(MemberEntityFactory)
    state = Registration.State.PENDING
    participation = Registration.Participation.REMOTE
