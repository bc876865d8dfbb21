"""The production topology on this machine, without Docker: Debian's nginx on deploy/nginx.conf, gunicorn nodes on
deploy/gunicorn.conf.py, a Celery worker, a redis-server and moto's S3 server, each a child process on a free
port, stopped by its PID. The tests in this folder and bench/topology_bench.py use it.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BUCKET = "portal-files"


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice for port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.name} exited:\n{process.output()[-4000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(
        f"nothing listens on {port} after {timeout} s" + (f":\n{process.output()[-4000:]}" if process else "")
    )


class Child:
    """A child process in its own process group, its output collected."""

    def __init__(self, name, args, env=None, cwd=ROOT):
        self.name = name
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.pid = self.proc.pid
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)

    def poll(self):
        return self.proc.poll()

    def wait_for(self, text: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"{self.name}: {text!r} not seen:\n{self.output()[-4000:]}")

    def kill(self, sig=signal.SIGKILL) -> None:
        """Sends ``sig`` to the process group (a gunicorn master and its workers die together)."""
        if self.proc.poll() is None:
            os.killpg(self.pid, sig)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


def render_nginx_conf(*, listen: int, upstreams: list[int], static_root: Path, media_root: Path, temp: Path) -> str:
    """deploy/nginx.conf with only its port, upstream addresses and paths changed; each change must apply once."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()

    def once(pattern, replacement):
        nonlocal text
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"deploy/nginx.conf: {pattern!r} matched {count} times"

    once(r"listen 80 default_server;", f"listen 127.0.0.1:{listen} default_server;")
    once(
        r"server web:8000 ([^;]*);",
        "\n        ".join(f"server 127.0.0.1:{port} \\1;" for port in upstreams),
    )
    once(r"alias /app/var/static/;", f"alias {static_root}/;")
    once(r"alias /app/var/media/;", f"alias {media_root}/;")
    text, count = re.subn(r"/var/cache/nginx/", f"{temp}/", text)
    assert count == 5
    return text


class Stack:
    """Everything of the topology; ``start()`` brings it up, ``stop()`` ends each process by its PID."""

    def __init__(self, database_url: str, *, web_nodes: int = 2, gunicorn_workers: int = 2):
        # A folder nginx's unprivileged workers can enter (pytest's own temporary folders are private to root).
        self.dir = Path(tempfile.mkdtemp(prefix="sg17-topology-"))
        self.dir.chmod(0o755)
        self.database_url = database_url
        self.gunicorn_workers = gunicorn_workers
        self.static_root = self.dir / "static"
        self.media_root = self.dir / "media"
        self.nginx_temp = self.dir / "nginx-temp"
        self.upload_temp = self.dir / "upload-temp"
        for folder in (self.static_root, self.media_root, self.nginx_temp, self.upload_temp):
            folder.mkdir(mode=0o755)
        self.redis_port = free_port()
        self.s3_port = free_port()
        self.nginx_port = free_port()
        self.web_ports = [free_port() for _ in range(web_nodes)]
        self.secret_key = secrets.token_urlsafe(64)
        self.smtp_port = None
        self.web: dict[int, Child] = {}
        self.children: list[Child] = []
        self.redis = self.s3 = self.nginx = self.worker = None

    # --- addresses ---
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def s3_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, **extra) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "AWS_", "STORAGE_", "EMAIL_", "PYTEST_"))
        }
        env.update(
            {
                "DJANGO_ENV": "production",
                "SECRET_KEY": self.secret_key,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SITE_URL": self.url,
                "CSRF_TRUSTED_ORIGINS": self.url,
                "SECURE_SSL_REDIRECT": "false",
                "TRUSTED_PROXIES": "127.0.0.1",
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "STORAGE_URL": f"s3+http://portal:portal-secret@127.0.0.1:{self.s3_port}/{BUCKET}",
                "DOWNLOAD_URL_SECONDS": "60",
                "STATIC_ROOT": str(self.static_root),
                "STATIC_PRECOMPRESS": "false",
                "MEDIA_ROOT": str(self.media_root),
                "VAR_DIR": str(self.dir / "var"),
                "TMPDIR": str(self.upload_temp),
                "PYTHONPATH": str(ROOT),
                "LOG_LEVEL": "WARNING",
                "SWEEP_INTERVAL_SECONDS": "3600",
            }
        )
        if self.smtp_port:
            env["EMAIL_URL"] = f"smtp://127.0.0.1:{self.smtp_port}"
        env.update({key: str(value) for key, value in extra.items()})
        return env

    # --- pieces ---
    def start_redis(self) -> None:
        self.redis = Child(
            "redis",
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "", "--appendonly", "no"],
        )
        self.children.append(self.redis)
        wait_for_port(self.redis_port, process=self.redis)

    def stop_redis(self) -> None:
        self.redis.stop()

    def start_s3(self) -> None:
        self.s3 = Child("moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)])
        self.children.append(self.s3)
        wait_for_port(self.s3_port, process=self.s3)

    def collectstatic_and_bucket(self) -> None:
        for command in (["collectstatic", "--noinput", "-v0"], ["prepare_storage"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=self.env(), check=True, capture_output=True
            )

    def start_web(self, port: int) -> Child:
        node = Child(
            f"web:{port}",
            [
                str(BIN / "gunicorn"),
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.gunicorn_workers),
                "sg17portal.wsgi:application",
            ],
            self.env(),
        )
        self.children.append(node)
        self.web[port] = node
        wait_for_port(port, process=node)
        return node

    def start_worker(self) -> None:
        self.worker = Child(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "sg17portal",
                "worker",
                "-Q",
                "mail,pdf,sweep",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            self.env(),
        )
        self.children.append(self.worker)
        self.worker.wait_for("ready.")

    def start_nginx(self) -> None:
        conf = self.dir / "nginx.conf"
        conf.write_text(
            render_nginx_conf(
                listen=self.nginx_port,
                upstreams=self.web_ports,
                static_root=self.static_root,
                media_root=self.media_root,
                temp=self.nginx_temp,
            )
        )
        self.nginx = Child(
            "nginx", [NGINX, "-c", str(conf), "-p", str(self.dir), "-g", f"daemon off; pid {self.dir}/nginx.pid;"]
        )
        self.children.append(self.nginx)
        wait_for_port(self.nginx_port, process=self.nginx)

    def start(self, *, smtp_port=None) -> "Stack":
        self.smtp_port = smtp_port
        self.start_redis()
        self.start_s3()
        self.collectstatic_and_bucket()
        for port in self.web_ports:
            self.start_web(port)
        self.start_worker()
        self.start_nginx()
        return self

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def get(self, path: str, timeout: float = 30):
        return urllib.request.urlopen(self.url + path, timeout=timeout)  # noqa: S310 - the stack's own nginx
