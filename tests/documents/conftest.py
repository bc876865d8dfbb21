import pytest

from tests.factories import QuestionFactory


@pytest.fixture(autouse=True)
def media_root(media_root):
    """Every test here stores its files in its own folder (the shared fixture, made automatic)."""
    return media_root


@pytest.fixture
def questions(meeting):
    return [QuestionFactory(study_group=meeting.study_group, number=n) for n in (4, 6, 11)]
