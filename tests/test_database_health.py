"""A kept database connection is checked before each request reuses it, without a round trip while it is alive."""

import select
import time

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kept():
    """A second connection to the test database, as a web worker keeps one between requests."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _last_statement(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def _reused_for_a_new_request(wrapper) -> None:
    """What Django does when a request starts with a kept connection."""
    wrapper.close_if_unusable_or_obsolete()  # as at the end of the request before, which allows the check again
    wrapper.close_if_health_check_failed()


def test_the_portal_runs_on_its_own_postgresql_backend():
    assert type(connections["default"]).__module__ == "sg17portal.postgresql.base"
    assert connection.vendor == "postgresql"


def test_a_live_idle_connection_passes_the_check_without_a_statement_sent(kept):
    pid = _pid(kept)
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'the last statement of the request before'")
    _reused_for_a_new_request(kept)
    assert kept.connection is not None
    assert kept.health_check_done
    assert _last_statement(pid) == "SELECT 'the last statement of the request before'"


def test_a_connection_the_server_ended_is_closed_and_the_next_query_opens_a_new_one(kept):
    pid = _pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server has sent its error and closed its end: the socket becomes readable.
    deadline = time.monotonic() + 10
    while not select.select([kept.connection.fileno()], [], [], 0.1)[0]:
        assert time.monotonic() < deadline, "the terminated session's socket never became readable"
    _reused_for_a_new_request(kept)
    assert kept.connection is None
    assert _pid(kept) != pid


def test_a_connection_left_in_a_transaction_is_checked_with_a_statement(kept):
    pid = _pid(kept)
    kept.set_autocommit(False)
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'inside a transaction'")
    kept.health_check_done = False
    assert kept.is_usable()
    assert _last_statement(pid) == "SELECT 1"
    kept.rollback()
    kept.set_autocommit(True)
