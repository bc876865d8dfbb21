"""A new meeting from a previous one: hours, venue, side events, the agenda with its Questions, practical
information; deadlines recomputed from the new first day."""

import datetime

import pytest
from django.urls import reverse

from agenda.models import AgendaItem, AgendaVersion
from agenda.services import publish_agenda
from meetings import deadlines, services
from meetings.models import KeyDeadline, Meeting
from tests.agenda.conftest import load_outline
from tests.factories import MeetingFactory, QuestionFactory
from tests.meetings.factories import SideEventFactory

pytestmark = pytest.mark.django_db

NEW_FIRST_DAY = datetime.date(2027, 3, 8)


@pytest.fixture
def source(secretariat):
    meeting = MeetingFactory(
        format=Meeting.Format.HYBRID,
        venue="ITU headquarters, Geneva",
        session_start=datetime.time(9, 30),
        session_end=datetime.time(17, 30),
        practical_information="Wi-Fi in every room.",
        signatory="Seizo Onoe",
        letter_reference="TSB Collective letter 12/17",
    )
    services.override_key_deadline(
        meeting.deadlines.get(kind=KeyDeadline.Kind.REGISTRATION),
        day=meeting.first_day - datetime.timedelta(days=40),
        reason="Host country",
        by=secretariat,
    )
    SideEventFactory(meeting=meeting)
    load_outline(meeting, "1. Opening\n2. Security architecture\n3. Closing", by=secretariat)
    AgendaItem.objects.get(title="Security architecture").questions.add(QuestionFactory(number=2))
    publish_agenda(meeting, revision=1, by=secretariat)
    return meeting


def test_clone_copies_how_the_meeting_runs_and_recomputes_deadlines(source, secretariat):
    clone = services.clone_meeting(source, first_day=NEW_FIRST_DAY, by=secretariat)

    assert clone.state == Meeting.State.DRAFT
    assert (clone.first_day, clone.last_day) == (NEW_FIRST_DAY, NEW_FIRST_DAY + (source.last_day - source.first_day))
    assert (clone.format, clone.venue, clone.session_start, clone.session_end) == (
        Meeting.Format.HYBRID,
        "ITU headquarters, Geneva",
        datetime.time(9, 30),
        datetime.time(17, 30),
    )
    assert (clone.practical_information, clone.signatory) == ("Wi-Fi in every room.", "Seizo Onoe")
    assert (clone.letter_reference, clone.letter_date, clone.join_details) == ("", None, "")
    expected = deadlines.key_deadlines(NEW_FIRST_DAY, Meeting.Format.HYBRID)
    assert dict(clone.deadlines.values_list("kind", "day")) == expected
    assert not clone.deadlines.filter(is_manual=True).exists()


def test_clone_moves_side_events_with_the_dates(source, secretariat):
    clone = services.clone_meeting(source, first_day=NEW_FIRST_DAY, by=secretariat)

    original, copy = source.side_events.get(), clone.side_events.get()
    assert copy.title == original.title
    assert copy.starts_at - original.starts_at == NEW_FIRST_DAY - source.first_day
    assert copy.ends_at - copy.starts_at == original.ends_at - original.starts_at


def test_clone_starts_its_draft_agenda_from_the_source_with_questions(source, secretariat):
    clone = services.clone_meeting(source, first_day=NEW_FIRST_DAY, by=secretariat)

    draft = AgendaVersion.objects.get(meeting=clone, number=None)
    assert list(draft.items.order_by("position").values_list("title", flat=True)) == [
        "Opening",
        "Security architecture",
        "Closing",
    ]
    assert [str(q) for q in draft.items.get(title="Security architecture").questions.all()] == ["Q2/17"]
    assert not AgendaVersion.objects.filter(meeting=clone, number__isnull=False).exists()


def test_clone_page_creates_the_draft_and_opens_its_manage_page(client, source, secretariat):
    client.force_login(secretariat)
    url = reverse("meetings:clone", kwargs={"pk": source.pk})

    assert client.get(url).status_code == 200
    refused = client.post(url, {"first_day": source.first_day.isoformat()})
    response = client.post(url, {"first_day": NEW_FIRST_DAY.isoformat()})

    assert "needs another first day" in refused.content.decode()
    clone = Meeting.objects.get(first_day=NEW_FIRST_DAY)
    assert response["Location"] == reverse("meetings:manage", kwargs={"pk": clone.pk})


def test_clone_page_is_for_the_secretariat(client, delegate, source):
    url = reverse("meetings:clone", kwargs={"pk": source.pk})

    anonymous = client.get(url)
    client.force_login(delegate)

    assert anonymous.status_code == 302
    assert (client.get(url).status_code, client.post(url, {"first_day": "2027-03-08"}).status_code) == (403, 403)
    assert not Meeting.objects.filter(first_day=NEW_FIRST_DAY).exists()
