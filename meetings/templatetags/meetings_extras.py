from urllib.parse import quote

from django import template
from django.conf import settings
from django.utils import dateformat

from .. import display, queries
from ..addenda import change_words
from ..models import usual_text

register = template.Library()


@register.simple_tag
def study_groups_with_upcoming_meetings():
    """For the home page: every study group with its upcoming public meetings, in two queries."""
    return queries.study_groups_with_upcoming_meetings()


@register.filter
def day_range(meeting) -> str:
    """The meeting's span: "24 August – 3 September 2021"."""
    return display.day_range_text(meeting.first_day, meeting.last_day)


@register.filter
def hours_text(start, end) -> str:
    return display.hours_text(start, end)


@register.filter
def day_text(day) -> str:
    return display.day_text(day) if day else ""


@register.filter
def wall_clock(value, fmt) -> str:
    """Formats an aware datetime in its own zone; the built-in ``date`` filter would move it to the viewer's."""
    return dateformat.format(value, fmt) if value else ""


@register.simple_tag
def pdf_static(name: str) -> str:
    """The address of a static file for a PDF: the plain name, never the hashed one of the manifest storage.

    WeasyPrint's fetcher reads the file behind it (``meetings.pdf.find_static_file``), so a PDF renders before
    ``collectstatic`` has written a manifest (``load_demo`` on a fresh install) as well as after.
    """
    return settings.STATIC_URL + quote(name)


@register.filter
def worded(changes):
    """An addendum's kept changes as words in the reader's language: ``{% for change in addendum.changes|worded %}``."""
    return [change_words(change) for change in changes]


@register.filter
def usual_value(value: str) -> str:
    """A value the secretariat usually leaves as it is ("English", "no interpretation") in the reader's language;
    anything else as typed."""
    return usual_text(value)
