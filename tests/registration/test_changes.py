"""A delegate changes their registration until the registration deadline; the history keeps each change and the
focal points hear of it when it matters."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import OutgoingMail
from registration import services
from registration.models import Registration

pytestmark = pytest.mark.django_db


def closes_at(meeting):
    return meeting.deadlines.get(kind="registration").closes_at


@pytest.fixture
def registration(meeting, member, entity):
    return services.register(meeting, delegate=member, entity=entity, by=member)


def change(registration, by, **fields):
    values = {"participation": Registration.Participation.REMOTE, **fields}
    return services.change_registration(registration, by=by, **values)


def test_change_before_deadline_is_saved_with_a_history_entry(registration, member):
    OutgoingMail.objects.all().delete()

    changed = change(registration, member, participation=Registration.Participation.IN_PERSON)

    assert changed.participation == Registration.Participation.IN_PERSON
    event = changed.history.last()
    assert (event.from_state, event.to_state, event.actor) == ("pending", "pending", member)
    assert event.reason == "participation: Remote → In person"
    # Pending: the focal point decides on it as it now reads, no mail needed.
    assert OutgoingMail.objects.count() == 0


def test_change_holds_until_the_last_second_of_the_deadline_day(registration, member):
    last_second = closes_at(registration.meeting) - datetime.timedelta(seconds=1)

    change(registration, member, participation="in_person", now=last_second)
    with pytest.raises(ValidationError) as refused:
        change(registration, member, participation="remote", now=closes_at(registration.meeting))

    assert "can no longer be changed" in refused.value.messages[0]
    registration.refresh_from_db()
    assert registration.participation == "in_person"


def test_secretariat_may_change_after_the_deadline(registration, secretariat):
    change(registration, secretariat, participation="in_person", now=closes_at(registration.meeting))

    registration.refresh_from_db()
    assert registration.participation == "in_person"


def test_change_of_an_approved_registration_tells_the_focal_points(registration, member, focal_point):
    services.approve_registration(registration, by=focal_point)
    OutgoingMail.objects.all().delete()

    change(registration, member, participation="in_person", head_of_delegation=True)

    registration.refresh_from_db()
    assert registration.state == Registration.State.APPROVED
    mail = OutgoingMail.objects.get()
    assert mail.recipient == focal_point.email
    assert "participation: Remote → In person" in mail.body_text
    assert "head of delegation: no → yes" in mail.body_text
    assert "stays approved" in mail.body_text


def test_adding_a_visa_request_needs_its_details_and_tells_the_focal_points(registration, member, focal_point):
    with pytest.raises(ValidationError) as refused:
        change(registration, member, visa_support_requested=True)
    assert set(refused.value.error_dict) == {"nationality", "passport_number"}

    change(registration, member, visa_support_requested=True, nationality="KR", passport_number=" M1234567 ")

    registration.refresh_from_db()
    assert (registration.nationality.code, registration.passport_number) == ("KR", "M1234567")
    assert OutgoingMail.objects.filter(recipient=focal_point.email, dedupe_key__contains=":changed:").count() == 1


def test_nothing_changed_writes_nothing(registration, member):
    events = registration.history.count()

    change(registration, member)

    assert registration.history.count() == events


def test_someone_else_may_not_change_it(registration, focal_point):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        change(registration, focal_point, participation="in_person")


def test_cancelled_registration_cannot_be_changed(registration, member):
    services.cancel_registration(registration, by=member)

    with pytest.raises(services.AlreadyDecided):
        change(registration, member, participation="in_person")


def test_edit_page_saves_and_shows_the_change_in_the_history(client, registration, member):
    client.force_login(member)
    url = reverse("registration:edit", kwargs={"pk": registration.pk})

    assert client.get(url).status_code == 200
    response = client.post(url, {"participation": "in_person"}, follow=True)

    page = response.content.decode()
    assert "Your registration is saved with the changes" in page
    assert "participation: Remote → In person" in page


def test_edit_page_after_the_deadline_sends_back_with_the_reason(client, registration, member):
    registration.meeting.deadlines.filter(kind="registration").update(
        day=datetime.date.today() - datetime.timedelta(days=1)
    )
    client.force_login(member)

    response = client.get(reverse("registration:edit", kwargs={"pk": registration.pk}), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == registration.get_absolute_url()
    assert "can no longer be changed" in page
    assert reverse("registration:edit", kwargs={"pk": registration.pk}) not in page


def test_registration_page_shows_visa_details_and_what_happens_next(client, registration, member):
    change(
        registration,
        member,
        visa_support_requested=True,
        fellowship_requested=True,
        nationality="KR",
        passport_number="M1234567",
    )
    client.force_login(member)

    page = client.get(registration.get_absolute_url()).content.decode()

    registration.refresh_from_db()
    assert registration.nationality.name in page
    assert "M1234567" in page
    assert 'id="next-fellowship"' in page
    assert 'id="next-visa"' in page
    assert reverse("registration:edit", kwargs={"pk": registration.pk}) in page
