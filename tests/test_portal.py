"""The portal as a whole: settings, security headers, health, error pages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from sg17portal.celery import app as celery_app
from sg17portal.secret_key import secret_key_weakness

ROOT = Path(__file__).resolve().parents[1]


def manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "SITE_URL", "PORT"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="Q7v_k2LpX9m-Rz4TnB8wYc3HdJ6sFa1GeU5oKi0NqVbMtZyPxWr",
        ALLOWED_HOSTS="portal.example.org",
        SITE_URL="https://portal.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("secret", [None, "short-secret", "abcde" * 11])
def test_production_refuses_to_start_with_default_or_short_secret(secret):
    env = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portal.example.org"}
    if secret:
        env["SECRET_KEY"] = secret
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Production needs SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("aaaaabbbbbcccccdddddeeeee" * 2 + "abcde", "it uses 5 distinct characters, fewer than 12"),
        ("k" * 20 + "Xy9-#Qz" * 6, "it uses 8 distinct characters, fewer than 12"),
        ("0123456789abcdefGHIJ" * 3, "it repeats a pattern"),
        ("compose-development-secret-key-change-me-0123456789abcdef", "it contains the placeholder word 'secret'"),
        ("django-insecure-7bfdcbf7a6a7fccca7a1df887d8859084e42277c", "it contains the placeholder word 'insecure'"),
        ("7bfdcbf7a6a7fccca7a1df887d8859084e42277c68e4af621ef62a0d58ebdd4a", ""),  # secrets.token_hex(32)
        ("Q7v_k2LpX9m-Rz4TnB8wYc3HdJ6sFa1GeU5oKi0NqVbMtZyPxWr", ""),
    ],
)
def test_secret_keys_of_low_entropy_are_refused_with_the_reason(key, reason):
    assert secret_key_weakness(key) == reason


@pytest.mark.django_db
def test_health_reports_database_broker_and_cache(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok", "degraded": []}


@pytest.mark.django_db
def test_health_says_degraded_but_answers_200_when_the_broker_does_not_answer(client):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("health"))
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "broker": "down",
        "cache": "ok",
        "degraded": ["broker"],
    }


@pytest.mark.django_db
def test_pages_carry_a_csp_without_inline_script(client):
    response = client.get(reverse("account_signup"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert " style=" not in html
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_bootstrap_is_served_by_the_portal_itself(client):
    html = client.get(reverse("home")).content.decode()
    assert '<link rel="stylesheet" href="/static/bootstrap/css/bootstrap.min.css">' in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


@pytest.mark.django_db
def test_login_form_is_csrf_protected():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403


def test_site_url_follows_the_port_served_when_not_set():
    # `make run PORT=8123` hands PORT to the web server, the worker and beat: the links they write must use it.
    script = (
        "from django.conf import settings; from django.urls import reverse; "
        "from registration.services.mail import absolute; "
        "print('URLS', settings.SITE_URL, absolute(reverse('agenda:calendar_feed', args=['token'])))"
    )
    result = manage("shell", "-c", script, PORT="8123")
    assert result.returncode == 0, result.stderr
    site_url, calendar_url = urls_printed(result.stdout)
    assert site_url == "http://127.0.0.1:8123"
    assert calendar_url.startswith("http://127.0.0.1:8123/")
    explicit = manage("shell", "-c", script, PORT="8123", SITE_URL="https://portal.example.org/")
    assert urls_printed(explicit.stdout)[0] == "https://portal.example.org"


def urls_printed(stdout):
    return next(line.split()[1:] for line in stdout.splitlines() if line.startswith("URLS "))


@pytest.mark.django_db
def test_a_refusal_is_logged_as_one_line_without_traceback(client, delegate, caplog):
    client.force_login(delegate)
    with caplog.at_level("WARNING", logger="django.request"):
        assert client.get("/admin/login/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.levelname, r.exc_info, r.getMessage()) for r in records] == [
        ("WARNING", None, f"Forbidden (Permission denied): /admin/login/ (403, user {delegate.pk})")
    ]
    assert "\n" not in caplog.text.strip()
