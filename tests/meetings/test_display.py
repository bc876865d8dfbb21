import datetime
import zoneinfo

import pytest

from meetings import display
from tests.factories import MeetingFactory

D = datetime.date
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        (D(2021, 8, 24), D(2021, 9, 3), "24 August – 3 September 2021"),
        (D(2027, 3, 16), D(2027, 3, 25), "16–25 March 2027"),
        (D(2026, 12, 30), D(2027, 1, 8), "30 December 2026 – 8 January 2027"),
        (D(2021, 8, 24), D(2021, 8, 24), "24 August 2021"),
    ],
)
def test_day_range_text_as_letters_write_it(first, last, text):
    assert display.day_range_text(first, last) == text


@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        (D(2021, 8, 24), D(2021, 9, 3), "from 24 August to 3 September 2021"),
        (D(2027, 3, 16), D(2027, 3, 25), "from 16 to 25 March 2027"),
        (D(2026, 12, 30), D(2027, 1, 8), "from 30 December 2026 to 8 January 2027"),
    ],
)
def test_from_to_text_as_the_invitation_writes_it(first, last, text):
    assert display.from_to_text(first, last) == text


@pytest.mark.parametrize(
    ("zone", "label"),
    [("Europe/Zurich", "Geneva time"), ("America/New_York", "New York time"), ("UTC", "UTC")],
)
def test_zone_label(zone, label):
    assert display.zone_label(zone) == label


@pytest.fixture
def deadline(db):
    return MeetingFactory().deadlines.get(kind="registration")  # 24 July 2021, Geneva


def _zurich(*args):
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))


def test_deadline_status_days_left(deadline):
    assert display.deadline_status(deadline, _zurich(2021, 7, 22, 12, 0)).text == "2 days left"
    assert display.deadline_status(deadline, _zurich(2021, 7, 23, 0, 0)).text == "1 day left"


def test_deadline_status_closes_today_until_the_last_second(deadline):
    assert display.deadline_status(deadline, _zurich(2021, 7, 24, 0, 0)).text == "closes today"
    assert display.deadline_status(deadline, _zurich(2021, 7, 24, 23, 59, 59)).text == "closes today"


def test_deadline_status_passed_after_the_end_of_its_day(deadline):
    assert display.deadline_status(deadline, _zurich(2021, 7, 25, 0, 0, 0)).text == "passed"
    # 22:30 UTC on the 24th is already the 25th in Geneva.
    assert display.deadline_status(deadline, datetime.datetime(2021, 7, 24, 22, 30, tzinfo=UTC)).text == "passed"


def test_deadline_status_counts_days_in_the_meeting_zone_not_utc(deadline):
    # 23:30 UTC on 22 July is already 23 July in Geneva: one day left, not two.
    assert display.deadline_status(deadline, datetime.datetime(2021, 7, 22, 22, 30, tzinfo=UTC)).text == "1 day left"


def test_last_moment_is_23_59_59_in_meeting_zone(deadline):
    assert display.last_moment(deadline) == _zurich(2021, 7, 24, 23, 59, 59)


def test_a_chairs_country_in_english_is_shown_in_the_readers_language_and_other_text_as_typed():
    from django.utils import translation
    from django_countries import countries

    from meetings.models import StudyGroup

    korea = StudyGroup(number=17, title="Security", chair="Heung Youl Youm", chair_country="Republic of Korea")
    elsewhere = StudyGroup(number=17, title="Security", chair="A. Chair", chair_country="Somewhere else")
    with translation.override("fr"):
        assert korea.chair_country_text == str(countries.name("KR")) != "Republic of Korea"
        assert korea.chair_country_text == str(countries.name("KR"))  # asked again: the same answer
        assert elsewhere.chair_country_text == "Somewhere else"
    with translation.override("en"):
        assert korea.chair_country_text == str(countries.name("KR"))
