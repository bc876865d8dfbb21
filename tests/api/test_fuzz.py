"""Schema-driven fuzzing of the read endpoints: no server error, and every answer as the schema says.

Bounded: a few derandomized examples per GET operation, through the WSGI application in-process, inside the
test's transaction (about 20 operations, well under a minute).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from .conftest import bearer, token_for

EXAMPLES = 8


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: the WSGI requests run in the test's transaction, on its connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@pytest.mark.parametrize("caller", ["secretariat", "anonymous"])
def test_read_endpoints_hold_to_their_schema(people, meeting, registration, document, published, caller):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    headers = bearer(token_for(people["secretariat"])) if caller == "secretariat" else {}
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) >= 18

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def holds_to_schema(case):
            case.call_and_validate(headers=headers)

        holds_to_schema()
