"""The registration tests use the shared fixtures of tests/conftest.py (meeting, entity, focal_point, member …), and
``world``: one of each object the permission table asks about (test_permissions)."""

import datetime

import pytest

from registration.models import Affiliation, Registration
from tests.factories import AffiliationFactory, MeetingFactory, RegistrationFactory, UserFactory

from .test_permissions import url_arguments


@pytest.fixture
def world(meeting, member, entity, focal_point, other_entity, other_focal_point, secretariat):
    registration = RegistrationFactory(meeting=meeting, delegate=member, entity=entity)
    newcomer = UserFactory(email="newcomer@example.org")
    affiliation = AffiliationFactory(user=newcomer, entity=entity, state=Affiliation.State.PENDING)
    physical = MeetingFactory(format="physical", first_day=datetime.date.today() + datetime.timedelta(days=60))
    visa = RegistrationFactory(
        meeting=physical,
        delegate=member,
        entity=entity,
        state=Registration.State.APPROVED,
        visa_support_requested=True,
        nationality="NG",
        passport_number="A1234567",
    )
    people = {
        "anonymous": None,
        "delegate": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "secretariat": secretariat,
    }
    arguments = url_arguments(
        meeting=meeting, entity=entity, registration=registration, affiliation=affiliation, visa=visa
    )
    post_data = {
        "queue": {"registration": [registration.pk], "action": "approve"},
        "reject": {"reason": "No seat left."},
        "auto_approval": {"auto_approval": "on"},
    }
    return people, arguments, post_data, registration
