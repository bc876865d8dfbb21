import datetime

import pytest
from django.core.management import call_command

from meetings import demo
from meetings.models import KeyDeadline, Meeting, Question, SideEvent, StudyGroup, StudyPeriod
from tests.meetings.factories import geneva

D = datetime.date
pytestmark = pytest.mark.django_db


def _snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (StudyGroup, StudyPeriod, Question, Meeting, SideEvent, KeyDeadline)
    ]


def test_demo_load_twice_changes_nothing():
    demo.load()
    first = _snapshot()
    demo.load()
    assert _snapshot() == first


def test_demo_through_load_demo_command():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert StudyGroup.objects.get().number == 17


def test_demo_study_group_as_the_letter_has_it():
    demo.load()
    group = StudyGroup.objects.get()
    assert (group.number, group.title, group.chair, group.chair_country) == (
        17,
        "Security",
        "Mr Heung-Youl Youm",
        "Republic of Korea",
    )
    assert (group.telephone, group.fax, group.email, group.web) == (
        "+41 22 730 6206",
        "+41 22 730 5853",
        "tsbsg17@itu.int",
        "http://itu.int/go/tsg17",
    )
    assert [str(p) for p in StudyPeriod.objects.all()] == ["2025-2028", "2017-2020"]
    assert [str(q) for q in group.questions.all()] == [f"Q{n}/17" for n in range(1, 16)]


def test_demo_virtual_meeting_exactly_as_the_reference_letter():
    demo.load()
    meeting = Meeting.objects.get(first_day=D(2021, 8, 24))
    assert (meeting.last_day, meeting.format, meeting.state, str(meeting.study_period)) == (
        D(2021, 9, 3),
        Meeting.Format.VIRTUAL,
        Meeting.State.CLOSED,
        "2017-2020",
    )
    assert (meeting.session_start, meeting.session_end, meeting.time_zone, meeting.remote_tool) == (
        datetime.time(10),
        datetime.time(16),
        "Europe/Zurich",
        "MyMeetings",
    )
    assert (meeting.letter_reference, meeting.letter_date, meeting.contact_reference) == (
        "TSB Collective letter 12/17",
        D(2021, 5, 21),
        "SG17/XY",
    )
    assert (meeting.signatory, meeting.signatory_title) == (
        "Chaesub Lee",
        "Director of the Telecommunication Standardization Bureau",
    )
    assert meeting.captioning == "captioning for the SG17 closing plenary on 3 September 2021"
    assert list(meeting.deadlines.values_list("kind", "day", "is_manual")) == [
        ("translation", D(2021, 6, 24), False),
        ("registration", D(2021, 7, 24), False),
        ("contributions", D(2021, 8, 11), False),
    ]
    assert list(meeting.side_events.values_list("title", "kind", "starts_at", "ends_at", "registration_url")) == [
        ("SG17 Overview for Newcomers", "tutorial", geneva(D(2021, 8, 23), 10), geneva(D(2021, 8, 23), 11), ""),
        (
            "Open extended SG17 management team meeting",
            "management",
            geneva(D(2021, 8, 23), 13),
            geneva(D(2021, 8, 23), 15),
            "",
        ),
        (
            "28th JCA-IdM meeting",
            "jca",
            geneva(D(2021, 8, 27), 14, 30),
            geneva(D(2021, 8, 27), 16),
            "https://www.itu.int/net4/CRM/xreg/web/Registration.aspx?Event=C-00009903",
        ),
    ]
    lines = meeting.draft_agenda.splitlines()
    assert (lines[0], lines[1], lines[-1], len(lines)) == (
        "NOTE - Updates to the agenda can be found in TD3779",
        "1. Opening of the meeting and welcome",
        "10. Closing",
        69,
    )


def test_demo_upcoming_hybrid_meeting_has_its_deadlines_ahead():
    demo.load()
    meeting = Meeting.objects.get(format=Meeting.Format.HYBRID)
    assert (meeting.state, meeting.venue, str(meeting.study_period)) == (
        Meeting.State.ANNOUNCED,
        "ITU headquarters, Geneva",
        "2025-2028",
    )
    assert meeting.join_details != ""
    assert sorted(meeting.deadlines.values_list("kind", flat=True)) == [
        "contributions",
        "fellowship",
        "registration",
        "translation",
        "visa",
    ]
    assert min(meeting.deadlines.values_list("day", flat=True)) > D(2026, 11, 26)
    assert 100 <= (meeting.first_day - D(2026, 11, 26)).days <= 140
