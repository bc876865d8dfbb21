"""The one way the portal writes dates and times."""

import datetime
import zoneinfo

from django.template import engines
from django.utils import timezone

from sg17portal.dates import format_date, format_date_range, format_datetime, format_time

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")


def test_format_date_writes_days_as_letters_do():
    assert format_date(datetime.date(2021, 8, 24)) == "24 August 2021"
    assert format_date(datetime.date(2021, 8, 24), "weekday") == "Tuesday 24 August 2021"
    assert format_date(None) == ""


def test_format_date_of_a_moment_is_its_day_in_the_active_zone():
    late_evening_utc = datetime.datetime(2021, 8, 24, 23, 30, tzinfo=datetime.UTC)
    assert format_date(late_evening_utc) == "24 August 2021"
    with timezone.override(GENEVA):
        assert format_date(late_evening_utc) == "25 August 2021"


def test_format_date_range_shortens_what_repeats():
    assert format_date_range(datetime.date(2021, 8, 24), datetime.date(2021, 9, 3)) == "24 August – 3 September 2021"
    assert format_date_range(datetime.date(2027, 3, 10), datetime.date(2027, 3, 21)) == "10–21 March 2027"
    assert format_date_range(datetime.date(2026, 12, 30), datetime.date(2027, 1, 2)) == (
        "30 December 2026 – 2 January 2027"
    )
    assert format_date_range(datetime.date(2027, 1, 1), datetime.date(2027, 1, 1)) == "1 January 2027"


def test_format_datetime_always_names_the_zone():
    moment = datetime.datetime(2021, 8, 24, 12, 5, tzinfo=datetime.UTC)
    assert format_datetime(moment) == "24 August 2021, 12:05 UTC"
    assert format_datetime(moment, "Europe/Zurich") == "24 August 2021, 14:05 CEST"
    assert format_datetime(moment, "Asia/Seoul") == "24 August 2021, 21:05 KST"
    assert format_datetime(moment, "Asia/Dubai") == "24 August 2021, 16:05 UTC+04"
    assert format_datetime(moment, "Asia/Kolkata") == "24 August 2021, 17:35 IST"
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert format_datetime(moment) == "24 August 2021, 08:05 EDT"
    assert format_time(moment, GENEVA) == "14:05 CEST"
    assert format_time(datetime.time(10, 0)) == "10:00"


def test_the_filters_are_in_every_template_without_loading():
    template = engines["django"].from_string(
        '{{ day|format_date }} · {{ day|format_date:"weekday" }} · {{ day|format_date_range:last }} · '
        "{{ moment|format_datetime:zone }} · {{ moment|format_time:zone }}"
    )
    text = template.render(
        {
            "day": datetime.date(2021, 8, 24),
            "last": datetime.date(2021, 9, 3),
            "moment": datetime.datetime(2021, 8, 24, 8, 0, tzinfo=datetime.UTC),
            "zone": "Europe/Zurich",
        }
    )
    assert text == (
        "24 August 2021 · Tuesday 24 August 2021 · 24 August – 3 September 2021 · "
        "24 August 2021, 10:00 CEST · 10:00 CEST"
    )
