"""`make run` as a person runs it: the embedded default (SQLite, file broker) with web server, worker and beat.

Stopped with Ctrl-C (SIGINT to the terminal's foreground group) or with SIGTERM to make, nothing it started may
be left running. The existing virtual environment is reused (its install stamp is not remade) and the two runs
share one temporary var/, so the second finds the database migrated and the demo loaded.
"""

import os
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from tests.integration.conftest import Process

pytestmark = pytest.mark.integration

STAMP = ".venv/.installed-stamp"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone or a zombie."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, ppid = text.rsplit(")", 1)[1].split()[:2]
    return None if state in {"Z", "X"} else (state, int(ppid))


def descendants(pid: int) -> dict[int, str]:
    """Every live process below ``pid``, with its command line."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            children.setdefault(stat[1], []).append(int(entry.name))
    found, todo = {}, list(children.get(pid, []))
    while todo:
        child = todo.pop()
        try:
            found[child] = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except FileNotFoundError:
            continue
        todo.extend(children.get(child, []))
    return found


def wait_until(condition, timeout: float, what: str, output: Process) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached; output:\n{''.join(output.lines)[-4000:]}")


def serves(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("var")


@pytest.mark.parametrize("stop", ["SIGINT to the foreground group", "SIGTERM to make"])
def test_make_run_stops_everything_it_started(stop, var_dir):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "MAKEFLAGS"}
    }
    env.update({"VAR_DIR": str(var_dir), "SWEEP_INTERVAL_SECONDS": "2"})
    make = Process(["make", "--no-print-directory", "-o", STAMP, "run", f"PORT={port}"], env)
    started: dict[int, str] = {}
    try:
        wait_until(lambda: serves(port), 240, "the web server answering", make)
        make.wait_for_output("celery@", timeout=60)
        make.wait_for_output(" ready.", timeout=60)
        make.wait_for_output("beat: Starting", timeout=60)
        started.update(descendants(make.proc.pid))
        commands = " | ".join(started.values())
        for part in ("manage.py runserver", "sg17portal worker", "sg17portal beat"):
            assert part in commands

        if stop.startswith("SIGINT"):
            os.killpg(make.proc.pid, signal.SIGINT)
        else:
            os.kill(make.proc.pid, signal.SIGTERM)
        make.proc.wait(timeout=40)
        left = {pid: command for pid, command in started.items() if _stat(pid)}
        assert left == {}
        assert not serves(port)
        output = "".join(make.lines)
        assert "Segmentation fault" not in output
        assert f"http://127.0.0.1:{port}/" in output
    finally:
        if make.proc.poll() is None:
            started.update(descendants(make.proc.pid))
            make.kill()
        for pid in started:
            if _stat(pid):
                os.kill(pid, signal.SIGKILL)
