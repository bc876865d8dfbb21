"""How the portal writes dates and times, everywhere: pages, mails, PDFs, messages.

One style, as ITU letters write it: "24 August 2021", "Tuesday 24 August 2021", "24 August – 3 September 2021".
A moment (an aware datetime) is always written with the zone it is shown in: "24 August 2021, 14:05 CEST",
by default in the zone that is active (the signed-in person's, UTC in workers), or in the zone given,
usually the meeting's.

Python code calls the functions; templates use the filters of the same names, which every template has
without loading anything (see ``TEMPLATES`` in the settings):

    {{ deadline.day|format_date }}                       24 August 2021
    {{ day|format_date:"weekday" }}                      Tuesday 24 August 2021
    {{ meeting.first_day|format_date_range:meeting.last_day }}   24 August – 3 September 2021
    {{ document.posted_at|format_datetime }}             24 August 2021, 14:05 CEST
    {{ version.published_at|format_datetime:meeting.time_zone }}
    {{ session.starts_at|format_time:meeting.time_zone }}        14:05 CEST

and in Python also ``format_time_range(start, end, zone)``: "10:00–12:00 CEST".
"""

import datetime
import zoneinfo

from django import template
from django.utils import dateformat, timezone, translation

DATE = "j F Y"
WEEKDAY_DATE = "l j F Y"
MONTH_DAY = "j F"
TIME = "H:i"

# How each language writes a day (the month's name from Django's translations): (day, day with its weekday,
# day and month). Russian takes the month's genitive ("2 декабря"), Spanish joins with "de", Chinese writes 年月日.
DATE_STYLES = {
    "es": (r"j \d\e F \d\e Y", r"l j \d\e F \d\e Y", r"j \d\e F"),
    "ru": ("j E Y", "l, j E Y", "j E"),
    "zh-hans": ("Y年n月j日", "Y年n月j日 l", "n月j日"),
}
# Languages whose ranges repeat the whole first day ("2027年3月10日 – 2027年3月21日"), as their day does not start
# with the day's number.
WHOLE_DAY_RANGES = {"zh-hans"}


def _styles() -> tuple[str, str, str]:
    return DATE_STYLES.get(translation.get_language() or "", (DATE, WEEKDAY_DATE, MONTH_DAY))


register = template.Library()


def _zone(zone) -> datetime.tzinfo:
    if zone is None or zone == "":
        return timezone.get_current_timezone()
    if isinstance(zone, str):
        return zoneinfo.ZoneInfo(zone)
    return zone


def _in_zone(moment: datetime.datetime, zone) -> datetime.datetime:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment.astimezone(_zone(zone))


def zone_abbreviation(moment: datetime.datetime) -> str:
    """ "CEST", "UTC", "KST"; where a zone has no letters for it, its offset: "UTC+04", "UTC-03:30"."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset() or datetime.timedelta(0)
    sign = "-" if offset < datetime.timedelta(0) else "+"
    hours, rest = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")


@register.filter
def format_date(value, style: str = "") -> str:
    """A day: "24 August 2021"; with ``"weekday"``: "Tuesday 24 August 2021". A moment gives its day in the
    active zone. Nothing gives ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _in_zone(value, None).date()
    day, weekday_day, _month_day = _styles()
    return dateformat.format(value, weekday_day if style == "weekday" else day)


def format_month_day(value: datetime.date) -> str:
    """A day without its year: "24 August"."""
    return dateformat.format(value, _styles()[2])


@register.filter
def format_date_range(first: datetime.date, last: datetime.date) -> str:
    """A span of days: "24 August – 3 September 2021", "10–21 March 2027", "1 January 2027" for one day."""
    if not first or not last:
        return format_date(first or last)
    if first == last:
        return format_date(first)
    if first.year != last.year or translation.get_language() in WHOLE_DAY_RANGES:
        return f"{format_date(first)} – {format_date(last)}"
    if first.month != last.month:
        return f"{format_month_day(first)} – {format_date(last)}"
    return f"{first.day}–{format_date(last)}"


@register.filter
def format_datetime(value: datetime.datetime | None, zone=None) -> str:
    """A moment with its zone: "24 August 2021, 14:05 CEST", in ``zone`` (a name or tzinfo) or the active one."""
    if not value:
        return ""
    moment = _in_zone(value, zone)
    return f"{dateformat.format(moment, DATE)}, {dateformat.format(moment, TIME)} {zone_abbreviation(moment)}"


@register.filter
def format_time(value: datetime.datetime | datetime.time | None, zone=None) -> str:
    """A moment's time with its zone: "14:05 CEST". A wall-clock time (a meeting's daily hours) has no zone of
    its own and is written bare ("10:00"): the text around it names the meeting's zone."""
    if not value:
        return ""
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    moment = _in_zone(value, zone)
    return f"{dateformat.format(moment, TIME)} {zone_abbreviation(moment)}"


def format_time_range(start: datetime.datetime, end: datetime.datetime, zone=None) -> str:
    """Two moments of one day with their zone once: "10:00–12:00 CEST"."""
    return f"{dateformat.format(_in_zone(start, zone), TIME)}–{format_time(end, zone)}"
