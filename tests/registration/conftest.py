"""The registration tests use the shared fixtures of tests/conftest.py (meeting, entity, focal_point, member …), and
``world``: one of each object the permission table asks about (test_permissions)."""

import pytest

from .test_permissions import registration_objects


@pytest.fixture
def world(meeting, member, entity, focal_point, other_entity, other_focal_point, secretariat):
    registration, arguments = registration_objects(meeting=meeting, delegate=member, entity=entity)
    people = {
        "anonymous": None,
        "delegate": member,
        "focal_point": focal_point,
        "other_focal_point": other_focal_point,
        "secretariat": secretariat,
    }
    post_data = {
        "queue": {"registration": [registration.pk], "action": "approve"},
        "reject": {"reason": "No seat left."},
        "auto_approval": {"auto_approval": "on"},
    }
    return people, arguments, post_data, registration
