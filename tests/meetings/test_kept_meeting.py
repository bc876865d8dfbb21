"""A meeting as every page about it reads it (meetings.queries.kept_meeting): kept in the cache under the meetings'
version, read from the database once, and read again on the very next request after any change in the meetings app.
The rights are checked on each request against what is kept: a meeting made a draft is gone at once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from meetings import services
from meetings.models import KeyDeadline, Meeting, MeetingText
from meetings.queries import kept_meeting
from tests.clients import signed_in

from .factories import SideEventFactory

pytestmark = pytest.mark.django_db

MEETING_TABLES = ('"meetings_meeting"', '"meetings_keydeadline"', '"meetings_sideevent"')


def meeting_queries(client, url) -> list[str]:
    """The queries of the meetings app's rows that a GET of ``url`` made (it must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if any(table in q["sql"] for table in MEETING_TABLES)]


def documents_url(meeting) -> str:
    return reverse("documents:list", args=[meeting.pk])


def test_a_meeting_is_read_once_then_kept_for_every_page_and_person(meeting, member, secretariat):
    member_client, secretariat_client = signed_in(member), signed_in(secretariat)
    assert len(meeting_queries(member_client, documents_url(meeting))) == 3  # the meeting, deadlines, side events
    assert meeting_queries(member_client, documents_url(meeting)) == []
    assert meeting_queries(secretariat_client, reverse("agenda:agenda_draft", args=[meeting.pk])) == []
    assert meeting_queries(member_client, reverse("registration:register", args=[meeting.pk])) == []


def test_each_change_in_the_meetings_app_is_read_at_once(meeting, secretariat):
    assert kept_meeting(meeting.pk).title == meeting.title

    meeting.title = "Extraordinary meeting on quantum-safe identity"
    services.save_meeting(meeting, by=secretariat)
    assert kept_meeting(meeting.pk).title == "Extraordinary meeting on quantum-safe identity"

    deadline = meeting.deadlines.get(kind=KeyDeadline.Kind.CONTRIBUTIONS)
    moved = deadline.day - datetime.timedelta(days=4)
    services.override_key_deadline(deadline, day=moved, reason="Room booked", by=secretariat)
    kept = kept_meeting(meeting.pk)
    assert next(d.day for d in kept.deadlines.all() if d.kind == KeyDeadline.Kind.CONTRIBUTIONS) == moved

    services.save_side_event(SideEventFactory.build(meeting=meeting, title="PKI workshop"), by=secretariat)
    assert [e.title for e in kept_meeting(meeting.pk).side_events.all()] == ["PKI workshop"]

    group = meeting.study_group
    group.chair = "Ms Arnaud Taddei"
    group.save()
    assert kept_meeting(meeting.pk).study_group.chair == "Ms Arnaud Taddei"


def test_each_language_keeps_its_own_texts(meeting):
    MeetingText.objects.create(meeting=meeting, language="fr", practical_information="Apportez votre adaptateur.")
    MeetingText.objects.create(meeting=meeting, language="es", practical_information="Traiga su adaptador.")
    assert kept_meeting(meeting.pk).practical_information == meeting.practical_information
    with translation.override("fr"):
        assert [t.practical_information for t in kept_meeting(meeting.pk).texts.all()] == ["Apportez votre adaptateur."]


def test_each_call_gives_an_object_of_its_own(meeting):
    first = kept_meeting(meeting.pk)
    first.title = "Changed in one request only"
    assert kept_meeting(meeting.pk).title == meeting.title


def test_a_meeting_made_a_draft_is_gone_on_the_next_request(meeting, member):
    client = signed_in(member)
    assert client.get(documents_url(meeting)).status_code == 200
    meeting.state = Meeting.State.DRAFT
    meeting.save(update_fields=["state"])
    assert client.get(documents_url(meeting)).status_code == 404
    assert client.get(reverse("registration:register", args=[meeting.pk])).status_code == 404


def test_a_closed_meeting_takes_no_registration_but_shows_the_secretariat_its_list(meeting, secretariat):
    client = signed_in(secretariat)
    assert client.get(reverse("registration:register_someone", args=[meeting.pk])).status_code == 200
    meeting.state = Meeting.State.CLOSED
    meeting.save(update_fields=["state"])
    assert client.get(reverse("registration:register_someone", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("registration:meeting_registrations", args=[meeting.pk])).status_code == 200


def test_an_address_that_names_no_meeting_is_not_kept(member):
    client = signed_in(member)
    url = reverse("documents:list", args=[987654])
    for _ in range(2):  # asked again, the database is asked again: nothing was kept for it
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 404
        assert sum('"meetings_meeting"' in q["sql"] for q in queries.captured_queries) == 1
