"""How a meeting's days, hours and deadlines are written out: on its page, in its letter and in its calendar.

Times are stored in UTC (side events) or as wall-clock times of the meeting's zone (daily sessions); these
helpers turn them into the words a reader expects, in the meeting's zone and in the reader's own.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from sg17portal.dates import WHOLE_DAY_RANGES, format_date, format_date_range, format_month_day

# What the letters call a zone; other zones are named after their city.
ZONE_LABELS = {"Europe/Zurich": gettext_lazy("Geneva")}

SATURDAY = 5

# Pages never walk more days than this, whatever the data says (models allow far fewer).
_DAYS_SHOWN_AT_MOST = 366


def day_text(day: datetime.date) -> str:
    """The day as letters write it: "24 August 2021"."""
    return format_date(day)


def weekday_day_text(day: datetime.date) -> str:
    """The day with its weekday: "Monday 23 August 2021"."""
    return format_date(day, "weekday")


def day_range_text(first: datetime.date, last: datetime.date) -> str:
    """The span of a meeting as letters write it: "24 August – 3 September 2021", "10–21 March 2027"."""
    return format_date_range(first, last)


def from_to_text(first: datetime.date, last: datetime.date) -> str:
    """The span as the letter's first sentence has it: "from 24 August to 3 September 2021"."""
    if first.year != last.year or get_language() in WHOLE_DAY_RANGES:
        return _("from %(first)s to %(last)s") % {"first": day_text(first), "last": day_text(last)}
    first_text = format_month_day(first) if first.month != last.month else str(first.day)
    return _("from %(first)s to %(last)s") % {"first": first_text, "last": day_text(last)}


def time_text(value: datetime.time | datetime.datetime) -> str:
    return value.strftime("%H:%M")


def hours_text(start, end) -> str:
    """A window of hours: "10:00-16:00"."""
    return f"{time_text(start)}-{time_text(end)}"


def zone_label(time_zone: str) -> str:
    """What letters call a zone: "Geneva time" for Europe/Zurich, "New York time", "UTC"."""
    if time_zone in ("UTC", "Etc/UTC"):
        return "UTC"
    city = ZONE_LABELS.get(time_zone) or time_zone.rsplit("/", 1)[-1].replace("_", " ")
    return _("%(city)s time") % {"city": city}


def meeting_days(meeting) -> list[datetime.date]:
    """The days the meeting sits: Monday to Friday within its span (a span of weekend days only, as it is)."""
    count = min((meeting.last_day - meeting.first_day).days + 1, _DAYS_SHOWN_AT_MOST)
    days = [meeting.first_day + datetime.timedelta(days=n) for n in range(max(count, 0))]
    return [day for day in days if day.weekday() < SATURDAY] or days


def spans_a_weekend(meeting) -> bool:
    count = min((meeting.last_day - meeting.first_day).days + 1, _DAYS_SHOWN_AT_MOST)
    return any((meeting.first_day + datetime.timedelta(days=n)).weekday() >= SATURDAY for n in range(max(count, 0)))


def session_window(meeting, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware start and end of the sessions of ``day``, in the meeting's zone."""
    zone = meeting.zone
    return (
        datetime.datetime.combine(day, meeting.session_start, tzinfo=zone),
        datetime.datetime.combine(day, meeting.session_end, tzinfo=zone),
    )


@dataclass
class ViewerHours:
    """The daily sessions of a run of meeting days, as a viewer in another zone sees them."""

    first_day: datetime.date
    last_day: datetime.date
    start: datetime.datetime
    end: datetime.datetime
    start_shift: int  # days between the meeting's day and the viewer's day at the start
    end_shift: int

    @property
    def key(self) -> tuple:
        return (self.start.time(), self.end.time(), self.start_shift, self.end_shift)

    @property
    def text(self) -> str:
        return hours_text(self.start, self.end) + _shift_text(self.end_shift if self.end_shift else self.start_shift)


def _shift_text(shift: int) -> str:
    if shift == 0:
        return ""
    if shift > 0:
        return " " + _("(+%(days)d day)") % {"days": shift}
    return " " + _("(%(days)d day)") % {"days": shift}


def hours_in_zone(meeting, zone: zoneinfo.ZoneInfo | datetime.tzinfo) -> list[ViewerHours]:
    """The meeting's daily hours converted to ``zone``, one entry per run of days that convert alike.

    A meeting that spans a daylight-saving change in one zone but not the other gives two entries.
    """
    runs: list[ViewerHours] = []
    for day in meeting_days(meeting):
        start, end = (moment.astimezone(zone) for moment in session_window(meeting, day))
        start_shift, end_shift = (start.date() - day).days, (end.date() - day).days
        last = runs[-1] if runs else None
        if last is not None and last.key == (start.time(), end.time(), start_shift, end_shift):
            last.last_day = day
        else:
            runs.append(ViewerHours(day, day, start, end, start_shift, end_shift))
    return runs


def same_wall_clock(meeting, zone) -> bool:
    """Whether a viewer in ``zone`` sees the meeting's hours unchanged on every day."""
    return all(
        run.start.time() == meeting.session_start and run.start_shift == 0 and run.end.time() == meeting.session_end
        for run in hours_in_zone(meeting, zone)
    )


@dataclass(frozen=True)
class DeadlineStatus:
    is_open: bool
    days_left: int | None

    @property
    def text(self) -> str:
        if not self.is_open:
            return _("passed")
        if self.days_left == 0:
            return _("closes today")
        return ngettext("%(days)d day left", "%(days)d days left", self.days_left) % {"days": self.days_left}


def deadline_status(deadline, now: datetime.datetime) -> DeadlineStatus:
    """How far ``now`` is from the end of the deadline's day in the meeting's zone."""
    if not deadline.is_open(now):
        return DeadlineStatus(is_open=False, days_left=None)
    today = now.astimezone(zoneinfo.ZoneInfo(deadline.meeting.time_zone)).date()
    return DeadlineStatus(is_open=True, days_left=max((deadline.day - today).days, 0))


def last_moment(deadline) -> datetime.datetime:
    """The last second of the deadline's day, for showing "23:59" rather than "00:00 the next day"."""
    return deadline.closes_at - datetime.timedelta(seconds=1)
