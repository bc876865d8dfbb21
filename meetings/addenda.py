"""What an addendum to a collective letter reports: the facts of the letter that changed, each as words.

``letter_facts(meeting)`` writes out the facts an announced meeting's letter states and that the secretariat may
still change (dates, daily hours, venue, key deadlines); ``fact_changes(before, after)`` lists the differences in
the order the letter gives them. The facts are read from the database, so that a caller can take them before and
after a change in one transaction.
"""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from . import display
from .models import KeyDeadline, Meeting


@dataclass(frozen=True)
class FactChange:
    what: str
    before: str
    after: str

    def as_dict(self) -> dict:
        return asdict(self)


def letter_facts(meeting_pk: int) -> dict[str, tuple[str, str]]:
    """key → (what, value in the letter's words), read afresh from the database."""
    meeting = Meeting.objects.get(pk=meeting_pk)
    facts = {
        "dates": (_("Dates"), display.day_range_text(meeting.first_day, meeting.last_day)),
        "hours": (
            _("Daily hours"),
            f"{display.hours_text(meeting.session_start, meeting.session_end)} {display.zone_label(meeting.time_zone)}",
        ),
        "venue": (_("Venue"), meeting.venue if meeting.format != Meeting.Format.VIRTUAL else _("virtual meeting")),
    }
    for deadline in KeyDeadline.objects.filter(meeting=meeting).order_by("day", "kind"):
        facts[f"deadline:{deadline.kind}"] = (
            _("Deadline: %(what)s") % {"what": deadline.get_kind_display()},
            display.day_text(deadline.day),
        )
    return facts


def fact_changes(before: dict[str, tuple[str, str]], after: dict[str, tuple[str, str]]) -> list[FactChange]:
    """What changed between two readings of ``letter_facts``; a deadline that appears or goes away is a change."""
    changes = []
    for key in list(after) + [key for key in before if key not in after]:
        what = (after.get(key) or before[key])[0]
        old = before[key][1] if key in before else _("(none)")
        new = after[key][1] if key in after else _("(no longer applies)")
        if old != new:
            changes.append(FactChange(what, old, new))
    return changes
