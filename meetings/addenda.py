"""What an addendum to a collective letter reports: the facts of the letter that changed, each as words.

``letter_facts(meeting)`` writes out the facts an announced meeting's letter states and that the secretariat may
still change (dates, daily hours, venue, key deadlines); ``fact_changes(before, after)`` lists the differences in
the order the letter gives them. The facts are read from the database, so that a caller can take them before and
after a change in one transaction.
"""

import datetime
import zoneinfo
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from . import display
from .models import KeyDeadline, Meeting, SideEvent


@dataclass(frozen=True)
class FactChange:
    key: str  # "dates", "hours", "venue", "deadline:<kind>"
    before_value: object  # the fact as data (see ``letter_facts``), None where it did not apply
    after_value: object

    def as_dict(self) -> dict:
        """As an addendum keeps it: the data, and the words in English for readers of the raw record."""
        with translation.override(settings.LANGUAGE_CODE):
            words = change_words(asdict(self))
        return {**asdict(self), **words}


def letter_facts(meeting_pk: int) -> dict[str, object]:
    """key → the fact as data (JSON: ISO dates and times, names), read afresh from the database."""
    meeting = Meeting.objects.get(pk=meeting_pk)
    facts = {
        "dates": [meeting.first_day.isoformat(), meeting.last_day.isoformat()],
        "hours": [
            meeting.session_start.isoformat("minutes"),
            meeting.session_end.isoformat("minutes"),
            meeting.time_zone,
        ],
        "venue": meeting.venue if meeting.format != Meeting.Format.VIRTUAL else None,
    }
    for deadline in KeyDeadline.objects.filter(meeting=meeting).order_by("day", "kind"):
        facts[f"deadline:{deadline.kind}"] = deadline.day.isoformat()
    for event in SideEvent.objects.filter(meeting=meeting).order_by("starts_at", "pk"):
        facts[f"side_event:{event.pk}"] = [
            event.title,
            event.starts_at.isoformat(),
            event.ends_at.isoformat(),
            meeting.time_zone,
        ]
    return facts


def fact_changes(before: dict[str, object], after: dict[str, object]) -> list[FactChange]:
    """What changed between two readings of ``letter_facts``; a deadline that appears or goes away is a change."""
    changes = []
    for key in list(after) + [key for key in before if key not in after]:
        # A deadline that is not there reads as None, as the kept change says it.
        if before.get(key) != after.get(key):
            changes.append(FactChange(key, before.get(key), after.get(key)))
    return changes


def change_words(change: dict) -> dict:
    """``{"what", "before", "after"}`` of a kept change, in the active language.

    Changes kept before they were kept as data carry only their words, in the language they were issued in.
    """
    if "key" not in change:
        return {"what": change["what"], "before": change["before"], "after": change["after"]}
    key = change["key"]
    before, after = change["before_value"], change["after_value"]
    if key.startswith("side_event:"):
        title = (after or before)[0]
        return {
            "what": _("Side event: %(title)s") % {"title": title},
            "before": _side_event_value(before) if before else _("(none)"),
            "after": _side_event_value(after) if after else _("(cancelled)"),
        }
    is_deadline = key.startswith("deadline:")
    return {
        "what": _fact_name(key),
        "before": _("(none)") if is_deadline and before is None else _fact_value(key, before),
        "after": _("(no longer applies)") if is_deadline and after is None else _fact_value(key, after),
    }


def _fact_name(key: str) -> str:
    if key.startswith("deadline:"):
        kind = key.split(":", 1)[1]
        return _("Deadline: %(what)s") % {"what": dict(KeyDeadline.Kind.choices).get(kind, kind)}
    return {"dates": _("Dates"), "hours": _("Daily hours"), "venue": _("Venue")}[key]


def _fact_value(key: str, value) -> str:
    if key == "dates":
        first, last = (datetime.date.fromisoformat(day) for day in value)
        return display.day_range_text(first, last)
    if key == "hours":
        start, end = (datetime.time.fromisoformat(hour) for hour in value[:2])
        return f"{display.hours_text(start, end)} {display.zone_label(value[2])}"
    if key == "venue":
        return value if value else _("virtual meeting")
    return display.day_text(datetime.date.fromisoformat(value))


def _side_event_value(value) -> str:
    """When a side event takes place, as the letter says it: "Tuesday 24 August 2021, 10:00-11:00 Geneva time"."""
    _title, starts, ends, zone = value
    start = datetime.datetime.fromisoformat(starts).astimezone(zoneinfo.ZoneInfo(zone))
    end = datetime.datetime.fromisoformat(ends).astimezone(zoneinfo.ZoneInfo(zone))
    return f"{display.weekday_day_text(start.date())}, {display.hours_text(start, end)} {display.zone_label(zone)}"
