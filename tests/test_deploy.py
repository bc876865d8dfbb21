"""The files in deploy/ agree with the settings: every variable named, the body limit above the upload limit."""

import re
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
    rendered by a worker."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "from sg17portal.wsgi import application; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'boto3', 'botocore', 'weasyprint'}))"
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
