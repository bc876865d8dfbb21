"""/health/ of a real gunicorn process whose database or Redis is at an address where nothing listens.

Without the database the portal can do nothing: 503, so a load balancer takes the node out. Without Redis it
keeps working on its fallbacks (the database cache, the outbox): 200, "degraded", naming what is down.
"""

import json
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.integration.conftest import Process

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def web_node(process_env):
    """Starts gunicorn with the test's environment changed by ``env``; answers (status, JSON) of a GET."""
    started: list[Process] = []

    def start(**env):
        port = free_port()
        node = Process(
            [str(GUNICORN), "sg17portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30"],
            process_env(**env),
        )
        started.append(node)
        node.wait_for_output("Booting worker")

        def get(path):
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=15) as answer:
                        return answer.status, json.loads(answer.read())
                except urllib.error.HTTPError as refused:
                    return refused.code, json.loads(refused.read())
                except OSError:
                    if time.monotonic() > deadline:
                        raise AssertionError("".join(node.lines)[-4000:]) from None
                    time.sleep(0.2)

        return get

    yield start
    for node in started:
        node.stop()


def test_health_answers_503_when_the_database_is_unreachable(web_node):
    get = web_node(DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/portal")

    assert get("/health/") == (
        503,
        {
            "status": "unavailable",
            "database": "down",
            "broker": "ok",
            "cache": "unknown",
            "degraded": ["cache", "database"],
        },
    )


def test_health_answers_200_degraded_when_only_redis_is_down(web_node):
    get = web_node(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")

    assert get("/health/") == (
        200,
        {
            "status": "degraded",
            "database": "ok",
            "broker": "down",
            "cache": "database fallback",
            "degraded": ["broker", "cache"],
        },
    )


def test_health_answers_200_ok_with_both(web_node):
    get = web_node()

    assert get("/health/") == (200, {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok", "degraded": []})
