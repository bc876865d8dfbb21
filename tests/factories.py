"""Factories shared by the whole suite. Each app's tests may add their own next to them."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from meetings.models import Meeting, Question, StudyGroup, StudyPeriod
from registration.models import Affiliation, MemberEntity, Registration

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    gender = User.Gender.FEMALE
    country = "CH"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class StudyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyGroup
        django_get_or_create = ["number"]

    number = 17
    title = "Security"
    chair = "Mr Heung-Youl Youm"
    chair_country = "Republic of Korea"
    telephone = "+41 22 730 6206"
    fax = "+41 22 730 5853"
    email = "tsbsg17@itu.int"
    web = "http://itu.int/go/tsg17"


class StudyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudyPeriod
        django_get_or_create = ["first_year", "last_year"]

    first_year = 2017
    last_year = 2020


class MeetingFactory(factory.django.DjangoModelFactory):
    """An announced virtual SG17 meeting like the one of the reference letter, deadlines included."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    study_group = factory.SubFactory(StudyGroupFactory)
    study_period = factory.SubFactory(StudyPeriodFactory)
    format = Meeting.Format.VIRTUAL
    first_day = datetime.date(2021, 8, 24)
    last_day = factory.LazyAttribute(lambda m: m.first_day + datetime.timedelta(days=10))
    state = Meeting.State.ANNOUNCED
    join_details = "MyMeetings: https://mymeetings.example.org/sg17 (meeting ID 123 456)"
    signatory = "Seizo Onoe"
    signatory_title = "Director of the Telecommunication Standardization Bureau"

    @factory.post_generation
    def with_deadlines(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from meetings.services import sync_key_deadlines

            sync_key_deadlines(self)


def open_meeting(**kwargs):
    """An announced meeting whose deadlines are all still open (it starts in three months)."""
    first_day = timezone.localdate() + datetime.timedelta(days=90)
    return MeetingFactory(**{"first_day": first_day, **kwargs})


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        django_get_or_create = ["study_group", "number"]

    study_group = factory.SubFactory(StudyGroupFactory)
    number = factory.Sequence(lambda n: n % 15 + 1)
    title = factory.LazyAttribute(lambda q: f"Question {q.number}")


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


def member_of(entity, **kwargs):
    """A new person with an approved affiliation to ``entity``."""
    user = UserFactory(**kwargs)
    AffiliationFactory(user=user, entity=entity)
    return user


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A pending registration written directly (no workflow): for lists, queues and benchmarks."""

    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    delegate = factory.SubFactory(UserFactory)
    entity = factory.SubFactory(MemberEntityFactory)
    state = Registration.State.PENDING
    participation = Registration.Participation.REMOTE
