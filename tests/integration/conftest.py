"""Real worker processes against the test database and Redis."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    # During the tests NAME is the test database pytest-django created.
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Process:
    """A child process whose output is collected, started in its own process group."""

    def __init__(self, args, env):
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not seen; output:\n{''.join(self.lines)[-4000:]}")

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
        self.proc.wait(30)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def process_env():
    """The environment a worker needs to reach the same database, broker and SMTP server as the test."""

    def build(**extra):
        env = {
            **os.environ,
            "DJANGO_ENV": "test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "PYTHONPATH": str(ROOT),
        }
        env.update({k: str(v) for k, v in extra.items()})
        return env

    return build


@pytest.fixture
def start_worker(process_env):
    started: list[Process] = []

    def start(**env):
        # The test's own connection must not hold locks the worker waits for.
        connection.close()
        worker = Process(
            [
                str(CELERY),
                "-A",
                "sg17portal",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            process_env(**env),
        )
        started.append(worker)
        worker.wait_for_output("ready.")
        return worker

    yield start
    for worker in started:
        worker.stop()
