"""The time plan as an iCalendar feed.

Each session keeps its UID across versions and carries the SEQUENCE computed when its version was
published, so a subscribed calendar moves a session instead of adding a second one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

CALENDAR_SALT = "agenda.calendar-feed"


def session_uid(session) -> str:
    return f"session-{session.uid}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def time_plan_calendar(meeting, version, days) -> bytes:
    """``days`` as given by ``timeplan.days_of``; ``version`` a published version (or a draft, SEQUENCE 0)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//ITU-T study group portal//time plan//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{meeting} – {_('time plan')}")
    calendar.add("x-wr-timezone", meeting.time_zone)
    stamp = version.published_at or version.changed_at
    for day in days:
        for row in day.rows:
            session = row.session
            event = Event()
            event.add("uid", session_uid(session))
            event.add("sequence", session.sequence)
            if stamp:
                event.add("dtstamp", stamp)
                event.add("last-modified", stamp)
            event.add("dtstart", session.starts_at)
            event.add("dtend", session.ends_at)
            event.add("summary", f"{session.title} (SG{meeting.study_group.number})")
            event.add("location", session.room or _("Virtual (%(tool)s)") % {"tool": meeting.remote_tool or "-"})
            lines = [f"{item.label} {item.title}" for item in row.agenda_items]
            lines += [str(question) for question in session.questions.all()]
            if session.captioning:
                lines.append(_("Captioning"))
            if session.remote_participation:
                lines.append(_("Remote participation"))
            event.add("description", "\n".join(lines))
            calendar.add_component(event)
    return calendar.to_ical()


def calendar_token(user, meeting) -> str:
    """The secret part of a person's subscription link; it stops working when they may no longer read."""
    return signing.dumps({"u": user.pk, "m": meeting.pk}, salt=CALENDAR_SALT, compress=True)


def feed_url(user, meeting) -> str:
    return settings.SITE_URL + reverse("agenda:calendar_feed", kwargs={"token": calendar_token(user, meeting)})
