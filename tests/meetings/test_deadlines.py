import datetime
import zoneinfo

import pytest

from meetings.deadlines import end_of_day, key_deadlines
from meetings.models import Meeting
from tests.factories import MeetingFactory

D = datetime.date
UTC = datetime.UTC


def test_key_deadlines_reference_letter_virtual_meeting():
    assert key_deadlines(D(2021, 8, 24), "virtual") == {
        "translation": D(2021, 6, 24),
        "registration": D(2021, 7, 24),
        "contributions": D(2021, 8, 11),
    }


def test_key_deadlines_physical_meeting_adds_fellowships_and_visas():
    assert key_deadlines(D(2021, 8, 24), "physical") == {
        "translation": D(2021, 6, 24),
        "fellowship": D(2021, 7, 13),
        "registration": D(2021, 7, 24),
        "visa": D(2021, 7, 24),
        "contributions": D(2021, 8, 11),
    }


def test_key_deadlines_hybrid_meeting_same_as_physical():
    assert key_deadlines(D(2027, 3, 16), "hybrid") == {
        "translation": D(2027, 1, 16),
        "fellowship": D(2027, 2, 2),
        "registration": D(2027, 2, 16),
        "visa": D(2027, 2, 16),
        "contributions": D(2027, 3, 3),
    }


def test_key_deadlines_unknown_format_refused():
    with pytest.raises(ValueError, match="Unknown meeting format 'online'"):
        key_deadlines(D(2021, 8, 24), "online")


def test_key_deadlines_month_end_one_month_back_clamps_to_30_april():
    assert key_deadlines(D(2021, 5, 31), "virtual")["registration"] == D(2021, 4, 30)


def test_key_deadlines_month_end_two_months_back_keeps_31_january():
    assert key_deadlines(D(2021, 3, 31), "virtual")["translation"] == D(2021, 1, 31)


def test_key_deadlines_30_april_two_months_back_clamps_to_end_of_february():
    assert key_deadlines(D(2021, 4, 30), "virtual")["translation"] == D(2021, 2, 28)
    assert key_deadlines(D(2024, 4, 30), "virtual")["translation"] == D(2024, 2, 29)


def test_key_deadlines_leap_year_29_march_lands_on_29_february():
    assert key_deadlines(D(2024, 3, 29), "physical")["registration"] == D(2024, 2, 29)
    assert key_deadlines(D(2024, 3, 29), "physical")["visa"] == D(2024, 2, 29)
    assert key_deadlines(D(2023, 3, 29), "physical")["registration"] == D(2023, 2, 28)


def test_key_deadlines_across_the_new_year():
    assert key_deadlines(D(2027, 1, 12), "physical") == {
        "translation": D(2026, 11, 12),
        "fellowship": D(2026, 12, 1),
        "registration": D(2026, 12, 12),
        "visa": D(2026, 12, 12),
        "contributions": D(2026, 12, 30),
    }


def test_key_deadlines_weekend_days_not_shifted():
    # S = Tuesday 14 September 2021: registration falls on Saturday 14 August and stays there.
    assert key_deadlines(D(2021, 9, 14), "virtual")["registration"] == D(2021, 8, 14)
    assert D(2021, 8, 14).weekday() == 5


def test_key_deadlines_contributions_leave_twelve_clear_days():
    first_day = D(2021, 8, 24)
    contributions = key_deadlines(first_day, "virtual")["contributions"]
    clear_days = [contributions + datetime.timedelta(days=n) for n in range(1, (first_day - contributions).days)]
    assert len(clear_days) == 12


def test_end_of_day_before_spring_daylight_saving_change():
    # Zurich moves to summer time at 02:00 on Sunday 28 March 2021: Saturday still ends at 23:00 UTC.
    assert end_of_day(D(2021, 3, 27), "Europe/Zurich") == datetime.datetime(2021, 3, 27, 23, 0, tzinfo=UTC)


def test_end_of_day_on_spring_daylight_saving_change():
    # The 23-hour day ends at midnight summer time, 22:00 UTC.
    assert end_of_day(D(2021, 3, 28), "Europe/Zurich") == datetime.datetime(2021, 3, 28, 22, 0, tzinfo=UTC)


def test_end_of_day_on_autumn_daylight_saving_change():
    assert end_of_day(D(2021, 10, 30), "Europe/Zurich") == datetime.datetime(2021, 10, 30, 22, 0, tzinfo=UTC)
    assert end_of_day(D(2021, 10, 31), "Europe/Zurich") == datetime.datetime(2021, 10, 31, 23, 0, tzinfo=UTC)


def test_end_of_day_in_another_zone_across_its_own_change():
    # New York moves on 14 March 2021, two weeks before Europe.
    assert end_of_day(D(2021, 3, 13), "America/New_York") == datetime.datetime(2021, 3, 14, 5, 0, tzinfo=UTC)
    assert end_of_day(D(2021, 3, 14), "America/New_York") == datetime.datetime(2021, 3, 15, 4, 0, tzinfo=UTC)


@pytest.fixture
def spring_meeting(db):
    """A virtual meeting whose contributions deadline is Saturday 27 March 2021, the eve of the DST change."""
    meeting = MeetingFactory(first_day=D(2021, 4, 9), last_day=D(2021, 4, 16))
    assert meeting.deadlines.get(kind="contributions").day == D(2021, 3, 27)
    return meeting


def test_deadline_closes_at_next_to_daylight_saving_change_is_right_utc_instant(spring_meeting):
    deadline = spring_meeting.deadlines.get(kind="contributions")
    assert deadline.closes_at == datetime.datetime(2021, 3, 27, 23, 0, tzinfo=UTC)


def test_deadline_open_one_second_before_end_of_day(spring_meeting):
    deadline = spring_meeting.deadlines.get(kind="contributions")
    zurich = zoneinfo.ZoneInfo("Europe/Zurich")
    assert deadline.is_open(datetime.datetime(2021, 3, 27, 23, 59, 59, tzinfo=zurich)) is True
    assert deadline.is_open(datetime.datetime(2021, 3, 27, 22, 59, 59, tzinfo=UTC)) is True


def test_deadline_closed_at_and_one_second_after_end_of_day(spring_meeting):
    deadline = spring_meeting.deadlines.get(kind="contributions")
    zurich = zoneinfo.ZoneInfo("Europe/Zurich")
    assert deadline.is_open(datetime.datetime(2021, 3, 28, 0, 0, 0, tzinfo=zurich)) is False
    assert deadline.is_open(datetime.datetime(2021, 3, 28, 0, 0, 1, tzinfo=zurich)) is False
    assert deadline.is_open(datetime.datetime(2021, 3, 27, 23, 0, 1, tzinfo=UTC)) is False


def test_deadline_in_meeting_zone_not_viewer_zone(db):
    meeting = MeetingFactory(first_day=D(2021, 8, 24), time_zone="Asia/Seoul")
    deadline = meeting.deadlines.get(kind="registration")
    assert deadline.closes_at == datetime.datetime(2021, 7, 24, 15, 0, tzinfo=UTC)
    assert deadline.is_open(datetime.datetime(2021, 7, 24, 14, 59, 59, tzinfo=UTC)) is True
    assert deadline.is_open(datetime.datetime(2021, 7, 24, 15, 0, 1, tzinfo=UTC)) is False


def test_meeting_factory_creates_reference_deadlines(db):
    meeting = MeetingFactory()
    assert meeting.format == Meeting.Format.VIRTUAL
    assert list(meeting.deadlines.order_by("day").values_list("kind", "day")) == [
        ("translation", D(2021, 6, 24)),
        ("registration", D(2021, 7, 24)),
        ("contributions", D(2021, 8, 11)),
    ]
