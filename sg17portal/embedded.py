"""Runs the embedded default in the foreground: the web server, a Celery worker and beat, stopped together.

``make run`` starts this. Each of the three runs in a process group of its own, so that stopping means the
same thing whichever way it is asked for: Ctrl-C in a terminal (SIGINT to the foreground group), SIGTERM to
``make`` (which passes it on) or to this process, a closed terminal (SIGHUP), or ``make`` itself gone. Then
every group gets SIGTERM (the worker finishes what it is doing), and whatever is still alive after a grace
period gets SIGKILL, the worker's pool processes included. If one of the three stops on its own, the others
are stopped too: a portal without its worker would silently keep mail unsent.

    python -m sg17portal.embedded --port 8000
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE_SECONDS = 10.0
POLL_SECONDS = 0.2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def commands(port: int) -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    celery = [str(bin_dir / "celery"), "-A", "sg17portal"]
    return {
        "worker": [
            *celery,
            "worker",
            "-Q",
            "mail,pdf,sweep",
            "--loglevel=INFO",
            "--concurrency=2",
            "--without-gossip",
            "--without-mingle",
        ],
        "beat": [
            *celery,
            "beat",
            "--loglevel=INFO",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
        ],
        "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
    }


class Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


def _signal_groups(children: dict[str, subprocess.Popen], signum: int) -> None:
    for child in children.values():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)


def stop_all(children: dict[str, subprocess.Popen], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM to every group, SIGKILL to what is left after ``grace`` seconds; returns when all are reaped."""
    _signal_groups(children, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=max(deadline - time.monotonic(), 0))
    # Also reaches a group whose leader exited but left processes behind (a worker's pool).
    _signal_groups(children, signal.SIGKILL)
    for child in children.values():
        child.wait()


def run(port: int) -> int:
    parent = os.getppid()
    environment = {**os.environ, "PORT": str(port)}
    children: dict[str, subprocess.Popen] = {}
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise_stop)
    reason = "a stop was asked for"
    status = 0
    try:
        for name, command in commands(port).items():
            children[name] = subprocess.Popen(command, env=environment, start_new_session=True)  # noqa: S603 (our own commands)
        while True:
            ended = [name for name, child in children.items() if child.poll() is not None]
            if ended:
                reason, status = f"the {ended[0]} stopped (exit status {children[ended[0]].returncode})", 1
                break
            if os.getppid() != parent:
                reason = "the command that started the portal is gone"
                break
            time.sleep(POLL_SECONDS)
    except Stop as stop:
        reason = f"{stop} received"
    finally:
        # A second Ctrl-C must not interrupt the stopping itself.
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        print(f"Stopping the web server, worker and beat: {reason}.", file=sys.stderr, flush=True)
        stop_all(children)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    return run(parser.parse_args(argv).port)


if __name__ == "__main__":
    sys.exit(main())
