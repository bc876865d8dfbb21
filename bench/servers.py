"""The portal and the hello-world view served by gunicorn as in production, for the benchmarks over HTTP.

Each server binds a port chosen by the system (port 0) and is stopped by its process id at the end.
"""

import contextlib
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from common import ROOT

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# One key for the benchmark process (which signs the sessions it opens) and the servers (which read them).
SECRET_KEY = "bench-" + secrets.token_urlsafe(60)


def production_node(database_url: str, var_dir: Path, name: str) -> dict:
    """The environment of a production web node of the portal on the benchmark's database and cache, its static
    files collected: the cache's keys under a prefix of the benchmark's ``name`` and the run's own, so that every
    run starts with nothing kept."""
    environment = production_environment(database_url, var_dir, cache_prefix=f"{name}-{uuid.uuid4().hex[:8]}")
    collect_static(environment)
    return environment


def production_environment(database_url: str, var_dir: Path, *, cache_prefix: str) -> dict:
    """The environment of a production web node of the portal on the benchmark's database and cache."""
    environment = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "sg17portal.settings",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://127.0.0.1",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "STATIC_ROOT": str(var_dir / "static"),
        "CACHE_KEY_PREFIX": cache_prefix,
        "LOG_LEVEL": "WARNING",
        # As nginx in front of the node would be: the benchmark's requests come from this host, saying https.
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    return environment


def collect_static(environment: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True
    )


class Server:
    def __init__(self, process, port, log):
        self.process, self.port, self.log = process, port, log
        self.url = f"http://127.0.0.1:{port}"

    def worker_pids(self) -> list[int]:
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(fields[1]) == self.process.pid:
                        children.append(int(entry.name))
        return sorted(children)

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the workers have used so far: the work done, whatever else the machine runs."""
        ticks = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def scheduler_seconds(self) -> tuple[float, float]:
        """The workers' time so far on a core, and runnable but waiting for one (``/proc/<pid>/schedstat``): with
        the elapsed time, what is left is the time they waited on something else (the database, the cache, a
        client)."""
        running = waiting = 0
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                on_core, queued, _slices = Path(f"/proc/{pid}/schedstat").read_text().split()
                running, waiting = running + int(on_core), waiting + int(queued)
        return running / 1e9, waiting / 1e9

    def worker_memory_mb(self) -> list[dict]:
        """Per worker: ``rss`` (resident, including the pages it still shares with the master: the code loaded
        before the fork), ``pss`` (shared pages divided among the processes sharing them) and ``uss`` (its own
        pages only: what one more worker costs)."""
        found = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                fields = {}
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
                    name, value = line.split(":", 1)
                    fields[name] = int(value.split()[0]) / 1024
                found.append(
                    {
                        "rss": fields["Rss"],
                        "pss": fields["Pss"],
                        "uss": fields["Private_Clean"] + fields["Private_Dirty"],
                    }
                )
        return found


def memory_text(sizes: list[dict]) -> str:
    """``Server.worker_memory_mb()`` as the benchmarks print it: RSS / PSS / own pages, per worker."""
    return ", ".join(f"{m['rss']:.0f} / {m['pss']:.0f} / {m['uss']:.0f} MB" for m in sizes)


@contextlib.contextmanager
def gunicorn(app: str, *, environment: dict, chdir: Path = ROOT, workers: int = 2, timeout: float = 60):
    """gunicorn with ``workers`` sync workers serving ``app``, as deploy/ runs it (its configuration file, with the
    address, the worker count and the access log given here); yields a ``Server``."""
    # Workers are not replaced during a benchmark (deploy/ replaces them after 1,000 requests): each worker's CPU
    # time and memory are then read for the whole run.
    environment = {**environment, "GUNICORN_MAX_REQUESTS": "0"}
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [
            GUNICORN,
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--chdir",
            str(chdir),
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            "127.0.0.1:0",
            "--no-control-socket",
            # No access log, as deploy/ runs it behind nginx; BENCH_ACCESS_LOG=1 shows each request.
            *(["--access-logfile", "-"] if os.environ.get("BENCH_ACCESS_LOG") else []),
            app,
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        port = _wait_for_port(process, Path(log.name), timeout)
        server = Server(process, port, Path(log.name))
        _wait_until_answers(server, timeout)
        while len(server.worker_pids()) < workers:
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(OSError):
            os.unlink(log.name)


def _wait_for_port(process, log: Path, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
        if found:
            return int(found.group(1))
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")


def _wait_until_answers(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # health/ is exempt from the redirect to HTTPS; any answer means the server is up.
            urllib.request.urlopen(server.url + "/health/", timeout=5).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{server.url} does not answer:\n{server.log.read_text()}")
