"""The time plan as an iCalendar feed.

Each session keeps its UID across versions and carries the SEQUENCE computed when its version was
published, so a subscribed calendar moves a session instead of adding a second one.
"""

import hashlib
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
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


def _calendar_secret(user) -> str:
    """The person's key; "" until they first replace their links (the links are signed with SECRET_KEY, the
    key only serves to end them)."""
    from .models import CalendarKey

    return CalendarKey.objects.filter(user=user).values_list("secret", flat=True).first() or ""


def _membership_stamp(user, secret: str) -> str:
    """Changes when the person's key is replaced and whenever one of their memberships ends or is decided
    again, so that a link issued before stops working for good."""
    from registration.models import Affiliation

    memberships = Affiliation.objects.filter(user=user, state=Affiliation.State.APPROVED).order_by("pk")
    facts = [secret] + [
        f"{pk}:{decided.isoformat() if decided else ''}" for pk, decided in memberships.values_list("pk", "decided_at")
    ]
    return hashlib.sha256("|".join(facts).encode()).hexdigest()[:20]


def calendar_token(user, meeting) -> str:
    """The secret part of a person's subscription link. It stops working when they may no longer read the
    meeting, when one of their memberships ends, and when they replace their calendar links."""
    return signing.dumps(
        {"u": user.pk, "m": meeting.pk, "k": _membership_stamp(user, _calendar_secret(user))},
        salt=CALENDAR_SALT,
        compress=True,
    )


def calendar_token_is_current(user, claims: dict) -> bool:
    return claims.get("k") == _membership_stamp(user, _calendar_secret(user))


def replace_calendar_links(user) -> None:
    """Every subscription link the person handed out stops working; the pages show new ones.

    Side effects: the person's calendar key is replaced.
    """
    from .models import CalendarKey

    CalendarKey.objects.update_or_create(
        user=user, defaults={"secret": secrets.token_hex(16), "created_at": timezone.now()}
    )


def feed_url(user, meeting) -> str:
    return settings.SITE_URL + reverse("agenda:calendar_feed", kwargs={"token": calendar_token(user, meeting)})
