import pytest

from tests.factories import MeetingFactory


@pytest.mark.django_db
def test_meeting_factory_creates_reference_deadlines():
    meeting = MeetingFactory()
    assert sorted(meeting.deadlines.values_list("kind", flat=True)) == ["contributions", "registration", "translation"]
