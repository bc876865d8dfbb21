import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Meeting
from notifications.models import OutgoingMail
from registration import services
from registration.models import Affiliation, Registration, RegistrationEvent
from tests.factories import AffiliationFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(meeting, delegate, entity):
    return services.register(meeting, delegate=delegate, entity=entity, by=delegate)


def test_approve_registration_confirms_affiliation_and_mails_join_details(pending, focal_point, meeting):
    approved = services.approve_registration(pending, by=focal_point)

    assert (approved.state, approved.decided_by) == (Registration.State.APPROVED, focal_point)
    assert Affiliation.objects.get(user=pending.delegate, entity=pending.entity).state == Affiliation.State.APPROVED
    assert list(approved.history.values_list("from_state", "to_state", "actor")) == [
        ("", "pending", pending.delegate.pk),
        ("pending", "approved", focal_point.pk),
    ]
    mail = OutgoingMail.objects.get(dedupe_key=f"registration:{pending.pk}:approved")
    assert mail.recipient == pending.delegate.email
    assert meeting.join_details in mail.body_text
    assert f"/meetings/{meeting.pk}/" in mail.body_text


def test_approve_registration_already_decided_names_who_and_when(pending, focal_point, secretariat):
    services.reject_registration(pending, by=secretariat, reason="Duplicate of another delegate's.")

    with pytest.raises(services.AlreadyDecided) as outcome:
        services.approve_registration(pending, by=focal_point)

    assert outcome.value.message.startswith("This registration was already rejected by Sofia Martin on ")
    assert Registration.objects.get().state == Registration.State.REJECTED
    assert RegistrationEvent.objects.filter(to_state="approved").count() == 0


def test_reject_registration_requires_a_reason(pending, focal_point):
    with pytest.raises(ValidationError):
        services.reject_registration(pending, by=focal_point, reason="  ")

    assert Registration.objects.get().state == Registration.State.PENDING


def test_reject_registration_mails_the_reason(pending, focal_point):
    services.reject_registration(pending, by=focal_point, reason="Our delegation is complete.")

    mail = OutgoingMail.objects.get(dedupe_key=f"registration:{pending.pk}:rejected")
    assert "Reason: Our delegation is complete." in mail.body_text
    assert Affiliation.objects.get(user=pending.delegate).state == Affiliation.State.PENDING


def test_cancel_registration_approved_by_delegate(pending, focal_point):
    services.approve_registration(pending, by=focal_point)

    cancelled = services.cancel_registration(pending, by=pending.delegate, reason="Travel cancelled.")

    assert cancelled.state == Registration.State.CANCELLED
    assert list(cancelled.history.values_list("from_state", "to_state"))[-1] == ("approved", "cancelled")
    mail = OutgoingMail.objects.get(dedupe_key=f"registration:{pending.pk}:cancelled")
    assert "As you asked" in mail.body_text


def test_cancel_registration_twice_is_already_decided(pending):
    services.cancel_registration(pending, by=pending.delegate)

    with pytest.raises(services.AlreadyDecided):
        services.cancel_registration(pending, by=pending.delegate)

    assert RegistrationEvent.objects.filter(to_state="cancelled").count() == 1


def test_approve_view_already_decided_tells_the_loser(client, pending, focal_point, secretariat):
    services.approve_registration(pending, by=secretariat)
    client.force_login(focal_point)

    response = client.post(reverse("registration:approve", args=[pending.pk]), follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith("This registration was already approved by Sofia Martin on ")


def test_reject_view_without_reason_changes_nothing(client, pending, focal_point):
    client.force_login(focal_point)

    response = client.post(reverse("registration:reject", args=[pending.pk]), {"reason": ""})

    assert Registration.objects.get().state == Registration.State.PENDING
    # The form comes back on its own page, its error summary leading to the reason.
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Give the delegate a reason for the rejection."]}
    assert b'href="#id_reason"' in response.content


def pending_registrations(count, *, meeting, entity):
    registrations = RegistrationFactory.create_batch(count, meeting=meeting, entity=entity)
    AffiliationFactory(user=registrations[0].delegate, entity=entity, state=Affiliation.State.DECLINED)
    return [r.pk for r in registrations]


def count_bulk_approval_queries(ids, by) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.approve_registrations(ids, by=by)
    return len(queries)


def test_approve_registrations_queries_do_not_grow_with_the_count(meeting, entity, focal_point):
    few = count_bulk_approval_queries(pending_registrations(5, meeting=meeting, entity=entity), focal_point)
    many = count_bulk_approval_queries(pending_registrations(500, meeting=meeting, entity=entity), focal_point)

    assert few == many
    assert Registration.objects.filter(state="approved").count() == 505
    assert RegistrationEvent.objects.filter(to_state="approved").count() == 505
    assert Affiliation.objects.filter(state="approved", entity=entity).exclude(user=focal_point).count() == 505
    assert OutgoingMail.objects.filter(dedupe_key__endswith=":approved").count() == 505


def test_approve_registrations_reports_those_decided_meanwhile(meeting, entity, focal_point, secretariat):
    ids = pending_registrations(3, meeting=meeting, entity=entity)
    services.reject_registration(Registration.objects.get(pk=ids[0]), by=secretariat, reason="Not a member.")

    outcome = services.approve_registrations(ids, by=focal_point)

    assert sorted(r.pk for r in outcome.decided) == ids[1:]
    assert [(r.pk, r.state, r.decided_by) for r in outcome.already_decided] == [(ids[0], "rejected", secretariat)]


def test_reject_registrations_requires_a_reason(meeting, entity, focal_point):
    ids = pending_registrations(2, meeting=meeting, entity=entity)

    with pytest.raises(ValidationError):
        services.reject_registrations(ids, by=focal_point, reason="")

    assert Registration.objects.filter(state="pending").count() == 2


def test_queue_bulk_view_rejects_many_with_reason(client, meeting, entity, focal_point):
    ids = pending_registrations(3, meeting=meeting, entity=entity)
    client.force_login(focal_point)

    response = client.post(
        reverse("registration:queue"), {"registration": ids, "action": "reject", "reason": "No seats left."}
    )

    assert response.status_code == 302
    assert list(Registration.objects.order_by().values_list("state", "reason").distinct()) == [
        ("rejected", "No seats left.")
    ]


def test_queue_bulk_view_reject_without_reason_changes_nothing(client, meeting, entity, focal_point):
    ids = pending_registrations(2, meeting=meeting, entity=entity)
    client.force_login(focal_point)

    client.post(reverse("registration:queue"), {"registration": ids, "action": "reject", "reason": ""})

    assert Registration.objects.filter(state="pending").count() == 2


def test_queue_bulk_view_with_one_foreign_registration_is_404_and_changes_nothing(
    client, meeting, entity, other_entity, focal_point
):
    ids = pending_registrations(2, meeting=meeting, entity=entity)
    foreign = RegistrationFactory(meeting=meeting, entity=other_entity)
    client.force_login(focal_point)

    response = client.post(reverse("registration:queue"), {"registration": [*ids, foreign.pk], "action": "approve"})

    assert response.status_code == 404
    assert Registration.objects.filter(state="pending").count() == 3


def test_confirm_affiliation_makes_a_member_and_mails(client, entity, focal_point):
    person = UserFactory()
    affiliation = services.request_affiliation(person, entity=entity)
    assert OutgoingMail.objects.get(dedupe_key=f"affiliation:{affiliation.pk}:requested:{focal_point.pk}")
    client.force_login(focal_point)

    client.post(reverse("registration:confirm_affiliation", args=[affiliation.pk]))

    affiliation.refresh_from_db()
    assert affiliation.state == Affiliation.State.APPROVED
    assert OutgoingMail.objects.filter(dedupe_key=f"affiliation:{affiliation.pk}:confirmed").count() == 1


def test_request_affiliation_after_decline_is_refused(entity, focal_point):
    person = UserFactory()
    affiliation = services.request_affiliation(person, entity=entity)
    services.decline_affiliation(affiliation, by=focal_point, reason="Not one of ours.")

    with pytest.raises(ValidationError):
        services.request_affiliation(person, entity=entity)


def test_auto_approval_switch_by_focal_point(client, entity, focal_point):
    client.force_login(focal_point)

    client.post(reverse("registration:auto_approval", args=[entity.pk]), {"auto_approval": "on"})
    entity.refresh_from_db()
    assert entity.auto_approval is True

    client.post(reverse("registration:auto_approval", args=[entity.pk]), {})
    entity.refresh_from_db()
    assert entity.auto_approval is False


def test_registration_page_escapes_markup_in_names_reasons_and_join_details(client, meeting, delegate, entity):
    script = "<script>alert(1)</script>"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    Meeting.objects.filter(pk=meeting.pk).update(join_details=f"{script} https://mymeetings.example.org/sg17")
    delegate.given_name = f"Daniel {script}"
    delegate.save()
    entity.name = f"Entity {script}"
    entity.save()
    registration = services.register(meeting, delegate=delegate, entity=entity, by=delegate)
    approved = services.approve_registration(registration, by=entity.focal_points.get(), reason=f"Welcome {script}")
    client.force_login(delegate)

    html = client.get(approved.get_absolute_url()).content.decode()

    assert html.count("<script>alert") == 0
    assert html.count(f"Welcome {escaped}") == 1
    assert html.count(f'{escaped} <a href="https://mymeetings.example.org/sg17"') == 1
    assert html.count(f"Entity {escaped}") == 1
