"""The iCalendar feed of a meeting: its days with the daily session window, its side events, its key deadlines.

Times carry the meeting's zone (TZID) with a VTIMEZONE, so calendar programs place them right across
daylight-saving changes. UIDs are built from the meeting's id and what each event is, so a subscribed calendar
updates events in place rather than duplicating them.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

from . import display
from .letter import deadline_description
from .models import Meeting

PRODID = "-//ITU-T Study Group Portal//Meetings//EN"


def _uid(meeting: Meeting, what: str) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "portal"
    return f"meeting-{meeting.pk}-{what}@{host}"


def _event(
    meeting: Meeting, *, uid: str, summary: str, start, end, stamp, sequence=0, description="", url=""
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    if meeting.format != Meeting.Format.VIRTUAL and meeting.venue:
        event.add("location", meeting.venue)
    elif meeting.remote_tool:
        event.add("location", meeting.remote_tool)
    return event


def meeting_calendar(meeting: Meeting, *, page_url: str) -> bytes:
    """The .ics of ``meeting`` (fetched with ``queries.meeting_with_details()``); ``page_url`` is its public page."""
    group = meeting.study_group
    stamp = meeting.updated_at.astimezone(datetime.UTC).replace(microsecond=0)
    # Each addendum is a revision of every event: calendar programs apply it instead of keeping the old times.
    sequence = meeting.letter_issues.filter(number__gt=0).count()
    zone = meeting.zone
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"SG{group.number}: {meeting.display_title}")
    cal.add("x-wr-timezone", meeting.time_zone)

    days = display.meeting_days(meeting)
    for number, day in enumerate(days, start=1):
        start, end = display.session_window(meeting, day)
        cal.add_component(
            _event(
                meeting,
                uid=_uid(meeting, f"day-{day:%Y%m%d}"),
                summary=_("%(title)s (day %(number)d of %(count)d)")
                % {"title": meeting.display_title, "number": number, "count": len(days)},
                start=start,
                end=end,
                stamp=stamp,
                sequence=sequence,
                url=page_url,
            )
        )
    for side_event in meeting.side_events.all():
        description = side_event.registration_url and _("Separate registration: %(url)s") % {
            "url": side_event.registration_url
        }
        cal.add_component(
            _event(
                meeting,
                uid=_uid(meeting, f"side-event-{side_event.pk}"),
                summary=side_event.title,
                start=side_event.starts_at.astimezone(zone),
                end=side_event.ends_at.astimezone(zone),
                stamp=stamp,
                sequence=sequence,
                description=description or "",
                url=side_event.registration_url or page_url,
            )
        )
    for deadline in meeting.deadlines.all():
        # A deadline is the last minute of its day in the meeting's zone: other zones see when it really closes.
        closes_at = deadline.closes_at
        cal.add_component(
            _event(
                meeting,
                uid=_uid(meeting, f"deadline-{deadline.kind}"),
                summary=_("Deadline: %(what)s (SG%(number)d)")
                % {"what": deadline.get_kind_display(), "number": group.number},
                start=(closes_at - datetime.timedelta(minutes=1)).astimezone(zone),
                end=closes_at.astimezone(zone),
                stamp=stamp,
                sequence=sequence,
                description=deadline_description(deadline, group.number),
                url=page_url,
            )
        )
    # Whole years around the meeting, so the VTIMEZONE carries both the standard and the daylight-saving rules.
    cal.add_missing_timezones(
        first_date=datetime.date(meeting.first_day.year - 1, 1, 1),
        last_date=datetime.date(meeting.last_day.year + 1, 12, 31),
    )
    return cal.to_ical()
