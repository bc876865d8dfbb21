import pytest

from tests.factories import MemberEntityFactory, QuestionFactory, member_of, open_meeting


@pytest.fixture(autouse=True)
def media_root(media_root):
    """Every test here stores its files in its own folder (the shared fixture, made automatic)."""
    return media_root


@pytest.fixture
def meeting(db):
    return open_meeting()


@pytest.fixture
def questions(meeting):
    return [QuestionFactory(study_group=meeting.study_group, number=n) for n in (4, 6, 11)]


@pytest.fixture
def entity(db):
    return MemberEntityFactory(name="Korea (Republic of)")


@pytest.fixture
def other_entity(db):
    return MemberEntityFactory(name="China Telecom")


@pytest.fixture
def member(entity):
    return member_of(entity, email="member@example.org")


@pytest.fixture
def other_member(other_entity):
    return member_of(other_entity, email="other.member@example.org")
