"""Decisions through the API go through the site's services: one batch of a hundred, and a race with the site."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from api.models import Scope
from notifications.models import OutgoingMail
from registration.models import Registration, RegistrationEvent
from tests.factories import RegistrationFactory, UserFactory

from .conftest import bearer, token_for


def pending_registrations(meeting, entity, count):
    return [RegistrationFactory(meeting=meeting, entity=entity, delegate=UserFactory()) for _ in range(count)]


@pytest.mark.django_db(transaction=True)
def test_token_approves_100_pending_while_the_site_rejects_one_of_them(meeting, entity, focal_point, secretariat):
    registrations = pending_registrations(meeting, entity, 100)
    contested = registrations[37]
    token = token_for(focal_point, [Scope.REGISTRATIONS_DECIDE])
    start = threading.Barrier(2)
    answers = {}

    def approve_all_through_the_api():
        try:
            start.wait(10)
            answers["api"] = Client().post(
                reverse("api:registration-decisions"),
                {"action": "approve", "registrations": [r.pk for r in registrations]},
                content_type="application/json",
                **bearer(token),
            )
        finally:
            connection.close()

    def reject_one_on_the_site():
        try:
            site = Client()
            site.force_login(secretariat)
            start.wait(10)
            answers["site"] = site.post(
                reverse("registration:reject", kwargs={"pk": contested.pk}), {"reason": "Registered twice."}
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=approve_all_through_the_api), threading.Thread(target=reject_one_on_the_site)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    body = answers["api"].json()
    assert (answers["api"].status_code, answers["site"].status_code) == (200, 302)
    contested.refresh_from_db()
    decisions = RegistrationEvent.objects.filter(registration=contested).exclude(from_state="")
    mails = OutgoingMail.objects.filter(dedupe_key__regex=rf"^registration:{contested.pk}:(approved|rejected)$")
    assert decisions.count() == 1
    assert mails.count() == 1
    assert (decisions.get().to_state, mails.get().dedupe_key) == (
        contested.state,
        f"registration:{contested.pk}:{contested.state}",
    )
    if contested.state == Registration.State.APPROVED:  # the batch was first
        assert (len(body["decided"]), body["already_decided"]) == (100, [])
    else:
        assert len(body["decided"]) == 99
        assert [(d["id"], d["state"]) for d in body["already_decided"]] == [(contested.pk, "rejected")]
    others = Registration.objects.exclude(pk=contested.pk)
    assert set(others.values_list("state", flat=True)) == {Registration.State.APPROVED}
    assert OutgoingMail.objects.filter(dedupe_key__endswith=":approved").count() == len(body["decided"])


@pytest.mark.django_db
def test_batch_without_the_decide_scope_changes_nothing(client, meeting, entity, focal_point):
    registrations = pending_registrations(meeting, entity, 3)
    token = token_for(focal_point, [Scope.REGISTRATIONS_READ])
    response = client.post(
        reverse("api:registration-decisions"),
        {"action": "approve", "registrations": [r.pk for r in registrations]},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 403
    assert set(Registration.objects.values_list("state", flat=True)) == {"pending"}


@pytest.mark.django_db
def test_batch_rejection_needs_a_reason(client, meeting, entity, focal_point):
    [registration] = pending_registrations(meeting, entity, 1)
    client.force_login(focal_point)
    response = client.post(
        reverse("api:registration-decisions"),
        {"action": "reject", "registrations": [registration.pk]},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"reason": ["Give the delegates a reason for the rejection."]},
    )
    registration.refresh_from_db()
    assert registration.state == "pending"
