import pytest

from registration.models import Affiliation
from tests.factories import AffiliationFactory, MemberEntityFactory, UserFactory

from .factories import upcoming_meeting


@pytest.fixture
def meeting(db):
    return upcoming_meeting()


@pytest.fixture
def focal_point(db):
    return UserFactory(email="focal.point@example.org", given_name="Hana", family_name="Kim")


@pytest.fixture
def other_focal_point(db):
    return UserFactory(email="other.focal@example.org", given_name="Otto", family_name="Brandt")


@pytest.fixture
def entity(focal_point):
    return MemberEntityFactory(name="Republic of Korea", country="KR", focal_points=[focal_point])


@pytest.fixture
def other_entity(other_focal_point):
    return MemberEntityFactory(name="Federal Republic of Germany", country="DE", focal_points=[other_focal_point])


@pytest.fixture
def member(delegate, entity):
    """The delegate, a confirmed member of ``entity``."""
    AffiliationFactory(user=delegate, entity=entity, state=Affiliation.State.APPROVED)
    return delegate
