"""The time plan as people read it: sessions by day in the meeting's zone, beside the viewer's own zone,
with the ones outside the meeting's days or daily hours flagged."""

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass
class SessionRow:
    session: object
    starts: datetime.datetime  # in the meeting's zone
    ends: datetime.datetime
    viewer_starts: datetime.datetime | None  # in the viewer's zone, when it is another one
    viewer_ends: datetime.datetime | None
    flags: list[str]
    agenda_items: list  # NumberedItem of the agenda the viewer sees


@dataclass
class Day:
    day: datetime.date
    rows: list[SessionRow] = field(default_factory=list)


def session_flags(starts: datetime.datetime, ends: datetime.datetime, meeting) -> list[str]:
    """Why a session (times in the meeting's zone) lies outside the meeting's days or daily hours."""
    flags = []
    if starts.date() < meeting.first_day or ends.date() > meeting.last_day:
        flags.append(_("outside the meeting's days"))
    if starts.time() < meeting.session_start or ends.time() > meeting.session_end or ends.date() != starts.date():
        flags.append(
            _("outside the daily hours %(start)s–%(end)s")
            % {"start": meeting.session_start.strftime("%H:%M"), "end": meeting.session_end.strftime("%H:%M")}
        )
    return flags


def viewer_zone(user, meeting) -> zoneinfo.ZoneInfo | None:
    """The viewer's own zone when it differs from the meeting's, else None."""
    name = getattr(user, "time_zone", "") if user.is_authenticated else ""
    if not name or name == meeting.time_zone:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def days_of(sessions, meeting, *, viewer=None, agenda=None, every_meeting_day=False) -> list[Day]:
    """Groups sessions (ordered by start) by day in the meeting's zone; with ``every_meeting_day`` the
    meeting's days without sessions are listed too (for the editor, which adds sessions day by day)."""
    agenda = agenda or {}
    days: dict[datetime.date, Day] = {}
    if every_meeting_day:
        days = {day: Day(day) for day in meeting_days(meeting)}
    zone = meeting.zone
    for session in sessions:
        starts, ends = timezone.localtime(session.starts_at, zone), timezone.localtime(session.ends_at, zone)
        day = days.setdefault(starts.date(), Day(starts.date()))
        day.rows.append(
            SessionRow(
                session=session,
                starts=starts,
                ends=ends,
                viewer_starts=timezone.localtime(session.starts_at, viewer) if viewer else None,
                viewer_ends=timezone.localtime(session.ends_at, viewer) if viewer else None,
                flags=session_flags(starts, ends, meeting),
                agenda_items=[agenda[uid] for uid in _uids(session.agenda_item_uids) if uid in agenda],
            )
        )
    return sorted(days.values(), key=lambda d: d.day)


def _uids(values):
    result = []
    for value in values:
        try:
            result.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return result


def meeting_days(meeting) -> list[datetime.date]:
    count = (meeting.last_day - meeting.first_day).days + 1
    return [meeting.first_day + datetime.timedelta(days=i) for i in range(count)]
