"""The files in deploy/ agree with the settings: every variable named, the body limit above the upload limit."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.topology.stack import render_nginx_conf

ROOT = Path(__file__).resolve().parents[1]


def _variables_read() -> set[str]:
    source = (ROOT / "sg17portal" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(re.findall(r'"([A-Z][A-Z0-9_]+)" in env', source))
    aws_loop = re.search(r"for _name in \((.*?)\):", source, re.S).group(1)
    names |= set(re.findall(r'"([A-Z][A-Z0-9_]+)"', aws_loop))
    gunicorn = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    names |= set(re.findall(r'os\.environ\.get\("([A-Z][A-Z0-9_]+)"', gunicorn))
    return names


def test_env_example_names_every_variable_the_portal_reads():
    example = (ROOT / "deploy" / ".env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    assert len(_variables_read()) > 40
    assert sorted(_variables_read() - named) == []


def test_nginx_body_limit_is_the_upload_limit_plus_the_form():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert settings.UPLOAD_MAX_BYTES < limit_mb * 1024 * 1024 <= settings.UPLOAD_MAX_BYTES + 4 * 1024 * 1024


def test_the_topology_test_changes_only_ports_upstreams_and_paths(tmp_path):
    original = (ROOT / "deploy" / "nginx.conf").read_text().splitlines()
    rendered = render_nginx_conf(
        listen=8081, upstreams=[9001, 9002], static_root=tmp_path / "s", media_root=tmp_path / "m", temp=tmp_path
    ).splitlines()
    changed = [line.strip() for line in original if line not in rendered]
    assert all(
        line.startswith(("listen ", "server web:", "alias ", "client_body_temp_path", "proxy_temp_path"))
        or line.endswith("_temp_path /var/cache/nginx/" + line.split("/")[-1])
        for line in changed
    ), changed


def test_a_web_process_loads_neither_boto3_without_a_bucket_nor_weasyprint():
    """What a web worker holds in memory: the S3 client (about 25 MB) only when a bucket is configured, and WeasyPrint
    (about 50 MB with its fonts) never once the app and its URLs are loaded: PDFs of issued letters come from storage,
    rendered by a worker. icalendar (about 3 MB) waits for the first calendar asked for."""
    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "from sg17portal.wsgi import application; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'boto3', 'botocore', 'weasyprint', 'icalendar'}))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "sg17portal.settings"}
    for name in ("STORAGE_URL", "AWS_STORAGE_BUCKET_NAME"):
        environment.pop(name, None)
    loaded = subprocess.run([sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip().splitlines()[-1] == "[]"

    environment["AWS_STORAGE_BUCKET_NAME"] = "portal"
    # Asked before anything touched the storage (as `prepare_storage` does), it still knows it is a bucket.
    code = code.replace(
        "print(",
        "from django.core.files.storage import default_storage; from sg17portal.storage import uses_object_storage; "
        "print(uses_object_storage(default_storage)); print(",
    )
    loaded = subprocess.run([sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip().splitlines()[-2:] == ["True", "['boto3', 'botocore']"]


def _resident_growth_after_two_sign_ins(prelude: str) -> float:
    """MiB a fresh process keeps resident after verifying two Argon2 passwords with the portal's hasher, once
    ``prelude`` has run in it."""
    code = (
        f"{prelude}\n"
        "import django; django.setup()\n"
        "from sg17portal.hashers import PortalArgon2PasswordHasher\n"
        "hasher = PortalArgon2PasswordHasher(); encoded = hasher.encode('secret', hasher.salt())\n"
        "def resident():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20\n"
        "before = resident()\n"
        "assert hasher.verify('secret', encoded) and hasher.verify('secret', encoded)\n"
        "print(resident() - before)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return float(done.stdout.split()[-1])


def test_a_web_worker_gives_back_the_memory_of_each_sign_in():
    """Argon2 allocates 19 MiB per password verified. Without the gunicorn configuration's fixed mmap threshold, glibc
    keeps the second one resident; a worker started with it gives it back."""
    config = f"exec(compile(open({str(ROOT / 'deploy' / 'gunicorn.conf.py')!r}).read(), 'gunicorn.conf.py', 'exec'))"
    assert _resident_growth_after_two_sign_ins("") > 15
    assert _resident_growth_after_two_sign_ins(config) < 5


def test_collectstatic_leaves_out_what_no_page_links(tmp_path, settings):
    """Every file collected costs every web worker memory (WhiteNoise keeps an entry per file and per compressed
    copy): only what the pages link is collected, and everything they link is there."""
    from django.contrib.staticfiles.finders import get_finders
    from django.contrib.staticfiles.utils import matches_patterns

    collected = {path for finder in get_finders() for path, _storage in finder.list([])}
    linked = set()
    for template in ROOT.glob("**/templates/**/*.html"):
        # The project's own templates, not those of the packages in a virtual environment (.venv, .venv-py312).
        if not any(part.startswith(".") for part in template.relative_to(ROOT).parts):
            linked |= set(re.findall(r"""\{% static ['"]([^'"]+)['"]""", template.read_text()))
    assert len(linked) > 10
    assert sorted(linked - collected) == []
    for kept in (
        "bootstrap/css/bootstrap.min.css.map",
        "admin/js/core.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
    ):
        assert kept in collected
    assert not any(matches_patterns(p, ["flags/*", "rest_framework/*", "*/select2/*", "*redoc*"]) for p in collected)
    assert len(collected) < 150


def _gunicorn_setting(name: str, **environment) -> str:
    """The value gunicorn reads for ``name`` from deploy/gunicorn.conf.py, as it prints its configuration."""
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *("--print-config", "-c", "deploy/gunicorn.conf.py", "wsgiref.simple_server:demo_app"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], **environment},
    )
    assert done.returncode == 0, done.stderr
    return re.search(rf"^{name}\s+= (.*)$", done.stdout, re.M).group(1)


def test_requests_are_logged_once_by_nginx_and_by_gunicorn_only_when_asked():
    assert re.search(r"^\s*access_log /dev/stdout;", (ROOT / "deploy" / "nginx.conf").read_text(), re.M)
    assert _gunicorn_setting("accesslog") == "None"
    assert _gunicorn_setting("accesslog", GUNICORN_ACCESS_LOG="-") == "-"
    assert _gunicorn_setting("errorlog") == "-"
