"""The meeting page for people signed in: its facts, deadlines and side events, and its letter and calendar cards,
are cached fragments (the content version, the viewer's time zone, the day in the meeting's zone). Each change
shows on the next request; each viewer gets the times of their own zone; a deadline closes at its midnight."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import KeyDeadline, Meeting
from tests.factories import UserFactory, open_meeting

from .factories import SideEventFactory, geneva

pytestmark = pytest.mark.django_db


def signed_in(**kwargs) -> Client:
    client = Client()
    client.force_login(UserFactory(**kwargs))
    return client


def page(client, meeting) -> str:
    response = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def announced(secretariat):
    meeting = open_meeting(state=Meeting.State.DRAFT, signatory="Seizo Onoe", signatory_title="Director of TSB")
    return services.announce_meeting(meeting, by=secretariat)


def test_each_change_of_the_meeting_shows_on_the_next_request(announced, secretariat):
    client = signed_in()
    assert "Addendum 1" not in page(client, announced)
    deadline = announced.deadlines.get(kind=KeyDeadline.Kind.REGISTRATION)
    moved = deadline.day - datetime.timedelta(days=3)
    services.override_key_deadline(deadline, day=moved, reason="Venue booked", by=secretariat)
    html = page(client, announced)
    assert f"{moved:%-d %B %Y}" in html
    assert f"Addendum 1 to {announced.letter_reference}" in html  # the letter's card
    side_event = SideEventFactory.build(meeting=announced, title="Quantum-safe PKI workshop")
    services.save_side_event(side_event, by=secretariat)
    assert "Quantum-safe PKI workshop" in page(client, announced)
    announced.refresh_from_db()
    announced.working_language = "French"
    services.save_meeting(announced, by=secretariat)
    assert "French" in page(client, announced)


def test_each_viewer_gets_the_times_of_their_own_zone(meeting):
    SideEventFactory(meeting=meeting, starts_at=geneva(meeting.first_day, 13), ends_at=geneva(meeting.first_day, 14))
    in_tokyo = signed_in(time_zone="Asia/Tokyo")
    in_new_york = signed_in(time_zone="America/New_York")
    tokyo = page(in_tokyo, meeting)
    new_york = page(in_new_york, meeting)  # after Tokyo's fragments are stored
    assert "(Asia/Tokyo)" in tokyo
    assert "America/New_York" not in tokyo
    assert "(America/New_York)" in new_york
    assert "Asia/Tokyo" not in new_york
    assert without_tokens(page(in_tokyo, meeting)) == without_tokens(tokyo)


def test_a_deadline_closes_at_its_midnight_without_any_change(meeting, monkeypatch):
    services.sync_key_deadlines(meeting)
    deadline = meeting.deadlines.get(kind=KeyDeadline.Kind.REGISTRATION)
    client = signed_in()
    row = f'data-kind="{deadline.kind}"'
    html = page(client, meeting)
    assert 'deadline-passed-row" ' + row not in html
    after_midnight = deadline.closes_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after_midnight)
    assert 'class="deadline-passed-row" ' + row in page(client, meeting)


def test_a_posting_leaves_the_meetings_fragments_and_a_change_of_the_meeting_replaces_them(
    meeting, member, entity, media_root
):
    """In a week of postings the meeting page's facts and the empty forms are not rendered again for each one."""
    from documents import services as documents
    from meetings.models import Question
    from sg17portal.pagecache import content_version, meetings_version
    from tests.documents.factories import upload

    before = (content_version(), meetings_version())
    documents.post_contribution(meeting, entity=entity, title="Crunch-time proposal", files=[upload()], by=member)
    assert content_version() != before[0]  # the documents list shows it
    assert meetings_version() == before[1]
    Question.objects.create(study_group=meeting.study_group, number=29, title="A Question made today")
    assert meetings_version() != before[1]
