import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from meetings import demo
from meetings.models import Meeting
from meetings.services import save_side_event
from tests.factories import MeetingFactory
from tests.meetings.factories import geneva

D = datetime.date
UTC = datetime.UTC
pytestmark = pytest.mark.django_db


def _calendar(client, meeting) -> icalendar.Calendar:
    response = client.get(reverse("meetings:calendar", kwargs={"pk": meeting.pk}))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


@pytest.fixture
def reference_meeting():
    demo.load()
    return Meeting.objects.get(first_day=D(2021, 8, 24))


def test_calendar_parses_and_every_event_carries_the_meeting_zone(client, reference_meeting):
    calendar = _calendar(client, reference_meeting)
    events = calendar.walk("VEVENT")
    # 9 meeting days (Monday to Friday), 3 side events, 3 key deadlines
    assert len(events) == 15
    assert {(e["DTSTART"].params["TZID"], e["DTEND"].params["TZID"]) for e in events} == {
        ("Europe/Zurich", "Europe/Zurich")
    }
    assert {e.decoded("DTSTART").tzinfo for e in events} == {zoneinfo.ZoneInfo("Europe/Zurich")}


def test_calendar_has_vtimezone_with_standard_and_daylight_rules(client, reference_meeting):
    [zone] = _calendar(client, reference_meeting).walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Zurich"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_calendar_meeting_days_carry_the_daily_session_window(client, reference_meeting):
    days = [e for e in _calendar(client, reference_meeting).walk("VEVENT") if "-day-" in str(e["UID"])]
    assert len(days) == 9
    first = days[0]
    assert (first.decoded("DTSTART"), first.decoded("DTEND")) == (
        geneva(D(2021, 8, 24), 10),
        geneva(D(2021, 8, 24), 16),
    )
    assert first.decoded("DTSTART").astimezone(UTC) == datetime.datetime(2021, 8, 24, 8, 0, tzinfo=UTC)
    assert str(first["SUMMARY"]) == "Virtual meeting of Study Group 17 (day 1 of 9)"
    assert days[-1].decoded("DTEND") == geneva(D(2021, 9, 3), 16)


def test_calendar_side_events_at_their_times(client, reference_meeting):
    events = {
        str(e["SUMMARY"]): (e.decoded("DTSTART"), e.decoded("DTEND"), str(e.get("DESCRIPTION", "")))
        for e in _calendar(client, reference_meeting).walk("VEVENT")
        if "-side-event-" in str(e["UID"])
    }
    assert events == {
        "SG17 Overview for Newcomers": (geneva(D(2021, 8, 23), 10), geneva(D(2021, 8, 23), 11), ""),
        "Open extended SG17 management team meeting": (geneva(D(2021, 8, 23), 13), geneva(D(2021, 8, 23), 15), ""),
        "28th JCA-IdM meeting": (
            geneva(D(2021, 8, 27), 14, 30),
            geneva(D(2021, 8, 27), 16),
            "Separate registration: https://www.itu.int/net4/CRM/xreg/web/Registration.aspx?Event=C-00009903",
        ),
    }


def test_calendar_deadlines_end_at_the_end_of_their_day(client, reference_meeting):
    deadlines = {
        str(e["UID"]).split("@")[0]: e.decoded("DTEND").astimezone(UTC)
        for e in _calendar(client, reference_meeting).walk("VEVENT")
        if "-deadline-" in str(e["UID"])
    }
    pk = reference_meeting.pk
    assert deadlines == {
        f"meeting-{pk}-deadline-translation": datetime.datetime(2021, 6, 24, 22, 0, tzinfo=UTC),
        f"meeting-{pk}-deadline-registration": datetime.datetime(2021, 7, 24, 22, 0, tzinfo=UTC),
        f"meeting-{pk}-deadline-contributions": datetime.datetime(2021, 8, 11, 22, 0, tzinfo=UTC),
    }


def test_calendar_deadline_next_to_daylight_saving_change(client):
    # Contributions close at the end of Saturday 27 March 2021, the eve of Zurich's change to summer time.
    meeting = MeetingFactory(first_day=D(2021, 4, 9), last_day=D(2021, 4, 16))
    [deadline] = [e for e in _calendar(client, meeting).walk("VEVENT") if "deadline-contributions" in str(e["UID"])]
    assert deadline.decoded("DTEND").astimezone(UTC) == datetime.datetime(2021, 3, 27, 23, 0, tzinfo=UTC)
    assert deadline["DTEND"].to_ical() == b"20210328T000000"


def test_calendar_uids_stable_and_unique(client, reference_meeting):
    uids = [str(e["UID"]) for e in _calendar(client, reference_meeting).walk("VEVENT")]
    assert len(set(uids)) == len(uids) == 15
    event = reference_meeting.side_events.get(title="28th JCA-IdM meeting")
    event.starts_at = geneva(D(2021, 8, 27), 14)
    save_side_event(event)
    assert [str(e["UID"]) for e in _calendar(client, reference_meeting).walk("VEVENT")] == uids


def test_calendar_is_a_download_named_after_the_meeting(client, reference_meeting):
    response = client.get(reverse("meetings:calendar", kwargs={"pk": reference_meeting.pk}))
    assert response["Content-Disposition"] == 'attachment; filename="sg17-meeting-2021-08-24.ics"'


def test_calendar_of_meeting_in_another_zone(client):
    meeting = MeetingFactory(time_zone="America/New_York", first_day=D(2027, 3, 8), last_day=D(2027, 3, 19))
    events = _calendar(client, meeting).walk("VEVENT")
    days = [e for e in events if "-day-" in str(e["UID"])]
    # New York changes to summer time on Sunday 14 March 2027: 10:00 local stays 10:00 local.
    assert [d.decoded("DTSTART").astimezone(UTC).hour for d in days] == [15] * 5 + [14] * 5
    assert {str(e["DTSTART"].params["TZID"]) for e in events} == {"America/New_York"}


def test_saturdays_and_sundays_are_no_meeting_days_in_calendar_or_letter(client, reference_meeting):
    days = [e for e in _calendar(client, reference_meeting).walk("VEVENT") if "-day-" in str(e["UID"])]
    dates = [e.decoded("DTSTART").date() for e in days]
    assert dates == [D(2021, 8, 24) + datetime.timedelta(days=n) for n in (0, 1, 2, 3, 6, 7, 8, 9, 10)]
    assert str(days[-1]["SUMMARY"]) == "Virtual meeting of Study Group 17 (day 9 of 9)"
    letter = client.get(reverse("meetings:letter", kwargs={"pk": reference_meeting.pk})).content.decode()
    assert "10:00-16:00 hours, Geneva time, every day from Monday to Friday using" in letter
