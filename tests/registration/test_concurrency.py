"""Two people deciding the same registration at once, on PostgreSQL with real transactions."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from notifications.models import OutgoingMail
from registration import services
from registration.models import Registration, RegistrationEvent
from tests.factories import MeetingFactory, MemberEntityFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_at_once_give_one_decision_one_history_entry_one_mail():
    meeting = MeetingFactory(first_day=datetime.date.today() + datetime.timedelta(days=90))
    first, second = UserFactory(given_name="Hana", family_name="Kim"), UserFactory()
    entity = MemberEntityFactory(focal_points=[first, second])
    delegate = UserFactory()
    registration = services.register(meeting, delegate=delegate, entity=entity, by=delegate)
    first_has_decided = threading.Event()
    outcomes = {}

    def approve_and_hold_the_row():
        try:
            with transaction.atomic():
                services.approve_registration(Registration.objects.get(pk=registration.pk), by=first)
                first_has_decided.set()
                # Keep the transaction open while the other decider runs into the row lock.
                threading.Event().wait(0.5)
            outcomes["first"] = "decided"
        finally:
            first_has_decided.set()
            connection.close()

    def reject_meanwhile():
        try:
            first_has_decided.wait(5)
            services.reject_registration(Registration.objects.get(pk=registration.pk), by=second, reason="No.")
            outcomes["second"] = "decided"
        except services.AlreadyDecided as late:
            outcomes["second"] = late.message
        finally:
            connection.close()

    threads = [threading.Thread(target=approve_and_hold_the_row), threading.Thread(target=reject_meanwhile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert outcomes["first"] == "decided"
    assert outcomes["second"].startswith("This registration was already approved by Hana Kim on ")
    assert Registration.objects.get().state == Registration.State.APPROVED
    assert list(RegistrationEvent.objects.exclude(from_state="").values_list("to_state", "actor")) == [
        ("approved", first.pk)
    ]
    decision_mails = OutgoingMail.objects.filter(dedupe_key__regex=r":(approved|rejected)$")
    assert list(decision_mails.values_list("dedupe_key", flat=True)) == [f"registration:{registration.pk}:approved"]
