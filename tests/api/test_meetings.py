"""What the meeting endpoints say: deadlines closing in UTC and in the meeting's zone, the letter and addenda,
and the events the changes publish for webhooks."""

import datetime

import pytest
from django.urls import reverse

from api.models import WebhookDelivery
from api.services import register_webhook
from meetings import services
from meetings.models import KeyDeadline, Meeting
from notifications.events import EVENT_TYPES
from tests.factories import MeetingFactory, open_meeting

pytestmark = pytest.mark.django_db


def test_deadlines_close_at_the_end_of_their_day_in_the_meetings_zone(client):
    meeting = MeetingFactory(first_day=datetime.date(2021, 8, 24), time_zone="Europe/Zurich")
    response = client.get(reverse("api:deadline-list", kwargs={"pk": meeting.pk}))
    registration = next(d for d in response.json() if d["kind"] == KeyDeadline.Kind.REGISTRATION)
    assert registration == {
        "kind": "registration",
        "kind_label": "Registration",
        "day": "2021-07-24",
        "closes_at": "2021-07-24T22:00:00+00:00",
        "closes_at_local": "2021-07-25T00:00:00+02:00",
        "time_zone": "Europe/Zurich",
        "is_manual": False,
        "reason": "",
    }


def test_letter_lists_its_addenda_with_what_changed(client, secretariat):
    meeting = services.announce_meeting(open_meeting(state=Meeting.State.DRAFT), by=secretariat)
    meeting.refresh_from_db()
    meeting.session_start = datetime.time(9, 30)
    services.save_meeting(meeting, by=secretariat)

    letter = client.get(reverse("api:letter", kwargs={"pk": meeting.pk})).json()
    [addendum] = letter["addenda"]
    assert letter["reference"] == meeting.letter_reference
    assert (addendum["number"], addendum["reference"]) == (1, f"Addendum 1 to {meeting.letter_reference}")
    assert addendum["changes"] == [
        {"what": "Daily hours", "before": "10:00-16:00 Geneva time", "after": "09:30-16:00 Geneva time"}
    ]
    assert addendum["page"].endswith(f"/meetings/{meeting.pk}/letter/addendum-1/")


def test_meeting_events_become_one_delivery_per_subscribed_endpoint(secretariat, django_capture_on_commit_callbacks):
    everything = register_webhook(url="https://a.example.org/hook", events=list(EVENT_TYPES), by=secretariat)
    register_webhook(url="https://b.example.org/hook", events=["document.posted"], by=secretariat)
    draft = open_meeting(state=Meeting.State.DRAFT)
    draft.venue = "Geneva"
    services.save_meeting(draft, by=secretariat)  # a draft changes unseen
    assert WebhookDelivery.objects.count() == 0

    with django_capture_on_commit_callbacks():
        services.announce_meeting(draft, by=secretariat)
        services.announce_meeting(draft, by=secretariat)  # already announced: no second event
    deliveries = list(WebhookDelivery.objects.values_list("endpoint", "event_id", "event_type"))
    assert deliveries == [(everything.pk, f"meeting.announced:{draft.pk}", "meeting.announced")]
    payload = WebhookDelivery.objects.get().payload
    assert payload["links"]["meeting"].endswith(f"/api/v1/meetings/{draft.pk}/")


def test_time_plan_gives_the_join_link_to_approved_registrants_only(client, meeting, member, other_delegate, entity):
    from agenda.models import Session, TimePlanVersion
    from registration.models import Registration
    from tests.factories import RegistrationFactory

    plan = TimePlanVersion.objects.create(meeting=meeting, number=1, published_at=meeting.starts_at)
    Session.objects.create(
        version=plan,
        starts_at=meeting.starts_at,
        ends_at=meeting.starts_at + datetime.timedelta(hours=2),
        title="Opening plenary",
        join_url="https://mymeetings.example.org/plenary",
    )
    RegistrationFactory(meeting=meeting, delegate=member, entity=entity, state=Registration.State.APPROVED)
    url = reverse("api:time-plan-version", kwargs={"pk": meeting.pk, "number": 1})

    def join_url(person):
        client.logout()
        if person:
            client.force_login(person)
        [session] = client.get(url).json()["sessions"]
        return session["join_url"]

    assert [join_url(member), join_url(other_delegate), join_url(None)] == [
        "https://mymeetings.example.org/plenary",
        None,
        None,
    ]


def test_document_and_agenda_changes_publish_their_events(meeting, secretariat):
    from agenda.services import publish_agenda
    from documents.models import Kind, Scope
    from documents.services import create_document
    from tests.agenda.conftest import load_outline

    register_webhook(url="https://a.example.org/hook", events=list(EVENT_TYPES), by=secretariat)
    td = create_document(
        meeting=meeting,
        kind=Kind.TD,
        title="Report",
        source="TSB",
        stored=[],
        by=secretariat,
        at=meeting.starts_at,
        scope=Scope.PLEN,
    )
    load_outline(meeting, "1. Opening\n2. Approval of the agenda\n", by=secretariat)
    publish_agenda(meeting, revision=1, by=secretariat)

    assert sorted(WebhookDelivery.objects.values_list("event_id", flat=True)) == [
        f"agenda.published:{meeting.pk}:1",
        f"document.posted:{td.pk}:0",
    ]
