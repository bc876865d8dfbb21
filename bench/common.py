"""What the benchmark scripts share: Django set up on a throw-away PostgreSQL database, and timed requests.

A script imports it as ``common`` (the folder of the script that runs is first on ``sys.path``), before anything
of the project: importing it puts the project's folder on the path.
"""

import contextlib
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Only the server of DATABASE_URL is used: each script works in a database of its own on it.
SERVER_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(name: str) -> str:
    """The URL of the database ``name`` on the server of DATABASE_URL."""
    return urlunsplit(urlsplit(SERVER_URL)._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(database_url("postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


@contextlib.contextmanager
def throwaway_django(name: str, *, keep_redis: bool = False, test_environment: bool = True):
    """Creates the database ``name`` (dropping what an interrupted run left of it), sets Django up on it with
    the test settings and migrates it; media, file cache and broker files go to a temporary folder, which it
    yields. Drops the database and removes the folder at the end.

    Redis (REDIS_URL) is left out unless ``keep_redis``: the file cache and broker then live in the temporary
    folder. ``test_environment`` is Django's ``setup_test_environment`` (mail kept in memory, the test client's
    host allowed, rendered contexts recorded on the responses)."""
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')
    var_dir = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    working_dir = os.getcwd()
    try:
        _setup_django(database_url(name), var_dir, keep_redis=keep_redis, test_environment=test_environment)
        yield var_dir
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        os.chdir(working_dir)
        shutil.rmtree(var_dir, ignore_errors=True)


def _setup_django(url: str, var_dir: Path, *, keep_redis: bool, test_environment: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_ENV"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sg17portal.settings"
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ["MEDIA_ROOT"] = str(var_dir / "media")
    os.environ["LOG_LEVEL"] = "ERROR"
    if not keep_redis:
        os.environ.pop("REDIS_URL", None)
    for folder in ("broker/queue", "broker/processed", "cache", "media"):
        (var_dir / folder).mkdir(parents=True)
    # Whatever the file-system broker writes in the working directory stays in the temporary folder.
    os.chdir(var_dir)
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    if test_environment:
        setup_test_environment()
    call_command("migrate", verbosity=0)


@dataclass
class Timing:
    """Times of one call repeated, such as a page requested again and again in this process (no network)."""

    samples: list[float]  # seconds, one per timed call
    queries: int | None = None  # of requests: the database queries of one more, after the timed ones
    response: object = None  # of requests: the last timed response

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000

    @property
    def best_ms(self) -> float:
        return min(self.samples) * 1000

    @property
    def worst_ms(self) -> float:
        return max(self.samples) * 1000

    def summary(self) -> str:
        return f"median {self.median_ms:6.1f} ms, p95 {self.p95_ms:6.1f} ms"


def time_calls(call, runs: int) -> Timing:
    """Times ``call()`` ``runs`` times in a row."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return Timing(samples)


def time_requests(client, url: str, runs: int, *, params=None, warmups: int = 1) -> Timing:
    """GETs ``url`` ``warmups`` times untimed (templates compiled, connection open), then ``runs`` times timed;
    every answer must be a 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    last = None

    def get():
        nonlocal last
        last = client.get(url, params)
        assert last.status_code == 200, (url, last.status_code)

    for _ in range(warmups):
        get()
    timing = time_calls(get, runs)
    timing.response = last
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    timing.queries = len(queries)
    return timing
