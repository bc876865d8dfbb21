import datetime

import pytest

from agenda import services
from agenda.models import AgendaItem
from agenda.outline import parse_outline
from meetings.models import Meeting
from tests.agenda.factories import add_session, make_member
from tests.factories import UserFactory

SMALL_AGENDA = """1. Opening
2. Results
a) Report
b) AAP
3. Coordination
a) JCAs
4. Closing
"""


@pytest.fixture(autouse=True)
def media_root(media_root):
    """Every test here stores its files in its own folder (the shared fixture, made automatic)."""
    return media_root


@pytest.fixture
def on_the_letters_dates(meeting):
    """The shared ``meeting`` moved to the reference letter's dates, 24 August – 3 September 2021 (summer time in
    Geneva): for the tests that read its days and hours back."""
    Meeting.objects.filter(pk=meeting.pk).update(
        first_day=datetime.date(2021, 8, 24), last_day=datetime.date(2021, 9, 3)
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def registrant(delegate, meeting):
    """The delegate, a confirmed member (of an entity of its own) with an approved registration for the meeting."""
    return make_member(delegate, meeting)


def load_outline(meeting, text, *, by, revision=0):
    services.import_outline(meeting, revision=revision, by=by, outline=parse_outline(text), replace=False)


@pytest.fixture
def small_agenda(meeting, secretariat):
    """A draft with 4 items and 3 sub-items; returns the meeting."""
    load_outline(meeting, SMALL_AGENDA, by=secretariat)
    return meeting


@pytest.fixture
def published(small_agenda, secretariat):
    """The small agenda published once, and a time plan of one session published once."""
    services.publish_agenda(small_agenda, revision=1, by=secretariat)
    add_session(small_agenda, secretariat, 0, "10:00", "12:00", "Opening plenary")
    services.publish_time_plan(small_agenda, revision=1, by=secretariat)
    return small_agenda


@pytest.fixture
def outsider(db):
    """Signed in, but no approved affiliation: not a member."""
    return UserFactory(email="outsider@example.org")


def draft_item(meeting, title):
    return AgendaItem.objects.get(version__meeting=meeting, version__number=None, title=title)
