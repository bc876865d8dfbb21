"""Key deadlines of a meeting, computed from its first day S.

Each deadline is a calendar day; it runs until the end of that day in the meeting's time zone.
A calendar month back from a day the earlier month lacks lands on that month's last day
(31 May - 1 month = 30 April). Days are never shifted off weekends.
"""

import calendar
import datetime
import zoneinfo

TRANSLATION = "translation"
FELLOWSHIP = "fellowship"
REGISTRATION = "registration"
VISA = "visa"
CONTRIBUTIONS = "contributions"

FORMATS = ("virtual", "physical", "hybrid")
_TRAVEL_FORMATS = {"physical", "hybrid"}


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months earlier, clamped to the end of a shorter month."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def key_deadlines(first_day: datetime.date, meeting_format: str) -> dict[str, datetime.date]:
    """The key deadlines that apply to a meeting of this format starting on ``first_day``."""
    if meeting_format not in FORMATS:
        raise ValueError(f"Unknown meeting format {meeting_format!r}; expected one of {', '.join(FORMATS)}.")
    deadlines = {TRANSLATION: months_before(first_day, 2)}
    if meeting_format in _TRAVEL_FORMATS:
        deadlines[FELLOWSHIP] = first_day - datetime.timedelta(days=42)
    deadlines[REGISTRATION] = months_before(first_day, 1)
    if meeting_format in _TRAVEL_FORMATS:
        deadlines[VISA] = months_before(first_day, 1)
    # 12 clear calendar days between the deadline day and S.
    deadlines[CONTRIBUTIONS] = first_day - datetime.timedelta(days=13)
    return deadlines


def end_of_day(day: datetime.date, time_zone: str) -> datetime.datetime:
    """The first instant after ``day`` in ``time_zone``: a deadline on ``day`` is open strictly before it."""
    zone = zoneinfo.ZoneInfo(time_zone)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
