import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import KeyDeadline
from notifications.models import OutgoingMail
from registration import services
from registration.models import Affiliation, MemberEntity, Registration
from registration.windows import registration_window
from tests.factories import AffiliationFactory, MeetingFactory, MemberEntityFactory, UserFactory

pytestmark = pytest.mark.django_db


def registration_deadline(meeting) -> KeyDeadline:
    return meeting.deadlines.get(kind="registration")


def test_register_member_is_pending_with_receipt_and_focal_point_notice(meeting, member, entity, focal_point):
    registration = services.register(meeting, delegate=member, entity=entity, by=member)

    assert registration.state == Registration.State.PENDING
    assert registration.approved_automatically is False
    assert list(registration.history.values_list("from_state", "to_state")) == [("", "pending")]
    mails = dict(OutgoingMail.objects.values_list("dedupe_key", "recipient"))
    assert mails == {
        f"registration:{registration.pk}:received": member.email,
        f"registration:{registration.pk}:new_request:{focal_point.pk}": focal_point.email,
    }


def test_register_without_affiliation_creates_pending_affiliation(meeting, delegate, entity, focal_point):
    registration = services.register(meeting, delegate=delegate, entity=entity, by=delegate)

    affiliation = Affiliation.objects.get(user=delegate, entity=entity)
    assert affiliation.state == Affiliation.State.PENDING
    assert registration.state == Registration.State.PENDING
    notice = OutgoingMail.objects.get(recipient=focal_point.email)
    assert "approving the registration also confirms the affiliation" in notice.body_text


def test_register_declined_affiliation_is_refused(meeting, delegate, entity):
    AffiliationFactory(user=delegate, entity=entity, state=Affiliation.State.DECLINED)

    with pytest.raises(ValidationError) as error:
        services.register(meeting, delegate=delegate, entity=entity, by=delegate)

    assert list(error.value.message_dict) == ["entity"]
    assert Registration.objects.count() == 0


def test_register_focal_point_is_approved_automatically(meeting, entity, focal_point):
    registration = services.register(meeting, delegate=focal_point, entity=entity, by=focal_point)

    assert registration.state == Registration.State.APPROVED
    assert registration.approved_automatically is True
    assert list(registration.history.values_list("to_state", "automatic")) == [("pending", False), ("approved", True)]
    assert Affiliation.objects.get(user=focal_point, entity=entity).state == Affiliation.State.APPROVED
    keys = set(OutgoingMail.objects.values_list("dedupe_key", flat=True))
    assert keys == {f"registration:{registration.pk}:received", f"registration:{registration.pk}:approved"}


def test_register_auto_approval_entity_approves_confirmed_member(meeting, member, entity):
    entity.auto_approval = True
    entity.save()

    registration = services.register(meeting, delegate=member, entity=entity, by=member)

    assert (registration.state, registration.approved_automatically) == (Registration.State.APPROVED, True)
    approval = OutgoingMail.objects.get(dedupe_key=f"registration:{registration.pk}:approved")
    assert meeting.join_details in approval.body_text


def test_register_auto_approval_entity_still_asks_focal_point_for_unconfirmed_person(meeting, delegate, entity):
    entity.auto_approval = True
    entity.save()

    registration = services.register(meeting, delegate=delegate, entity=entity, by=delegate)

    assert registration.state == Registration.State.PENDING


def test_register_deadline_holds_until_last_second_of_the_day_in_meeting_zone(meeting, member, entity):
    deadline = registration_deadline(meeting)
    midnight = datetime.datetime.combine(deadline.day + datetime.timedelta(days=1), datetime.time(0), meeting.zone)
    assert midnight.utcoffset() != datetime.timedelta(0)  # Europe/Zurich: not the server's UTC midnight

    registration = services.register(
        meeting, delegate=member, entity=entity, by=member, now=midnight - datetime.timedelta(seconds=1)
    )

    assert registration.is_late is False
    other = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.register(meeting, delegate=other, entity=entity, by=other, now=midnight)
    assert error.value.messages == [
        f"Registration for this meeting closed on {deadline.day.day} {deadline.day:%B %Y} "
        "(end of day, Europe/Zurich time). Only the secretariat can still register you."
    ]


def test_register_after_deadline_is_late_when_meeting_allows_it(meeting, member, entity):
    meeting.late_registration_allowed = True
    meeting.save()
    after = registration_deadline(meeting).closes_at

    registration = services.register(meeting, delegate=member, entity=entity, by=member, now=after)

    assert registration.is_late is True


def test_register_after_deadline_by_secretariat_is_late(meeting, delegate, entity, secretariat):
    after = registration_deadline(meeting).closes_at

    registration = services.register(
        meeting, delegate=delegate, entity=entity, by=secretariat, now=after, approve_at_once=True
    )

    assert (registration.is_late, registration.state, registration.decided_by) == (True, "approved", secretariat)
    assert registration.approved_automatically is False


def test_register_someone_else_needs_secretariat(meeting, delegate, entity):
    stranger = UserFactory()
    with pytest.raises(services.registrations.PermissionDenied):
        services.register(meeting, delegate=delegate, entity=entity, by=stranger)


def test_register_virtual_meeting_is_remote_only_without_fellowship_or_visa(delegate, entity):
    meeting = MeetingFactory(format="virtual", first_day=datetime.date.today() + datetime.timedelta(days=90))

    with pytest.raises(ValidationError) as error:
        services.register(
            meeting,
            delegate=delegate,
            entity=entity,
            by=delegate,
            participation=Registration.Participation.IN_PERSON,
            fellowship_requested=True,
            visa_support_requested=True,
            nationality="NG",
            passport_number="A123",
        )

    assert sorted(error.value.message_dict) == ["fellowship_requested", "participation", "visa_support_requested"]


def test_register_head_of_delegation_only_for_administrations(meeting, delegate):
    company = MemberEntityFactory(category=MemberEntity.Category.SECTOR_MEMBER)

    with pytest.raises(ValidationError) as error:
        services.register(meeting, delegate=delegate, entity=company, by=delegate, head_of_delegation=True)

    assert error.value.message_dict == {
        "head_of_delegation": ["Only Administrations of Member States declare a head of delegation."]
    }


def test_register_fellowship_closes_at_its_own_deadline(meeting, member, entity):
    fellowship = meeting.deadlines.get(kind="fellowship")

    with pytest.raises(ValidationError) as error:
        services.register(
            meeting, delegate=member, entity=entity, by=member, fellowship_requested=True, now=fellowship.closes_at
        )
    assert list(error.value.message_dict) == ["fellowship_requested"]

    registration = services.register(
        meeting,
        delegate=member,
        entity=entity,
        by=member,
        fellowship_requested=True,
        now=fellowship.closes_at - datetime.timedelta(seconds=1),
    )
    assert registration.fellowship_requested is True


def test_register_visa_request_needs_passport_details(meeting, member, entity):
    with pytest.raises(ValidationError) as error:
        services.register(meeting, delegate=member, entity=entity, by=member, visa_support_requested=True)

    assert sorted(error.value.message_dict) == ["nationality", "passport_number"]


def test_register_twice_for_one_meeting_is_refused_until_cancelled(meeting, member, entity):
    first = services.register(meeting, delegate=member, entity=entity, by=member)
    with pytest.raises(ValidationError):
        services.register(meeting, delegate=member, entity=entity, by=member)

    services.cancel_registration(first, by=member)
    second = services.register(meeting, delegate=member, entity=entity, by=member)

    assert Registration.objects.filter(meeting=meeting, delegate=member).count() == 2
    assert second.state == Registration.State.PENDING


def test_register_view_creates_registration(client, meeting, member, entity):
    client.force_login(member)

    response = client.post(
        reverse("registration:register", args=[meeting.pk]),
        {"entity": entity.pk, "participation": "in_person", "head_of_delegation": "on"},
    )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    assert (registration.participation, registration.head_of_delegation) == ("in_person", True)


def test_register_view_shows_service_errors_on_fields(client, meeting, delegate):
    company = MemberEntityFactory(category=MemberEntity.Category.SECTOR_MEMBER)
    client.force_login(delegate)

    response = client.post(
        reverse("registration:register", args=[meeting.pk]),
        {"entity": company.pk, "participation": "remote", "head_of_delegation": "on"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "head_of_delegation": ["Only Administrations of Member States declare a head of delegation."]
    }
    assert Registration.objects.count() == 0


def test_register_view_closed_names_the_date(client, delegate):
    meeting = MeetingFactory(first_day=datetime.date.today() + datetime.timedelta(days=10))
    day = registration_window(meeting).registration.day
    client.force_login(delegate)

    response = client.get(reverse("registration:register", args=[meeting.pk]))

    assert response.status_code == 200
    assert response.templates[0].name == "registration/register_closed.html"
    assert f"closed on {day.day} {day:%B %Y}" in response.content.decode()


def test_register_view_virtual_meeting_offers_remote_only(client, delegate):
    meeting = MeetingFactory(first_day=datetime.date.today() + datetime.timedelta(days=90))
    client.force_login(delegate)

    form = client.get(reverse("registration:register", args=[meeting.pk])).context["form"]

    assert [value for value, _label in form.fields["participation"].choices] == ["remote"]
    assert "fellowship_requested" not in form.fields
    assert "visa_support_requested" not in form.fields


def test_register_view_lists_own_entities_first(client, meeting, member, entity):
    MemberEntityFactory(name="Aardvark Academy", category=MemberEntity.Category.ACADEMIA)
    client.force_login(member)

    choices = client.get(reverse("registration:register", args=[meeting.pk])).context["form"].fields["entity"].choices

    assert choices[1] == ("Your entities", [(entity.pk, "Republic of Korea")])


def test_nationality_uses_the_names_of_the_member_entities(delegate):
    from registration import demo as registration_demo
    from registration.forms import RegistrationForm

    meeting = MeetingFactory(
        format="physical", venue="Geneva", first_day=datetime.date.today() + datetime.timedelta(days=120)
    )
    form = RegistrationForm(meeting=meeting, window=registration_window(meeting), delegate=delegate)
    names = dict(form.fields["nationality"].choices)
    [korea] = [name for name, _category, code, _auto in registration_demo.ENTITIES if code == "KR"]
    assert names["KR"] == korea == "Republic of Korea"
    assert (names["RU"], names["IR"], names["US"], names["GB"], names["KP"]) == (
        "Russian Federation",
        "Iran (Islamic Republic of)",
        "United States",
        "United Kingdom",
        "Democratic People's Republic of Korea",
    )
