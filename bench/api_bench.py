"""Requests per second of the API against the HTML pages it stands beside, in one run on one server.

The data: a study group with 40 announced meetings, one of them with 1,000 documents (400 contributions,
600 TDs). The server: gunicorn with 2 sync workers on production settings (HTTPS redirect off, since wrk
talks plain HTTP on loopback), Redis for the cache. Each URL is checked for a 200 first, then loaded with
``wrk -t2 -c10 -d10s``. The pages need a member's session, the API calls a member's token.
"""

import datetime
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from common import ROOT, throwaway_django

DURATION = os.environ.get("BENCH_DURATION", "10s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build() -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from accounts.models import User
    from api.models import Scope
    from api.services import create_access_token
    from documents.models import Document, Kind
    from documents.models import Scope as TdScope
    from meetings.models import Meeting, Question, StudyGroup, StudyPeriod
    from registration.models import Affiliation, MemberEntity

    group = StudyGroup.objects.create(number=17, title="Security")
    period = StudyPeriod.objects.create(first_year=2025, last_year=2028)
    questions = [Question.objects.create(study_group=group, number=n, title=f"Question {n}") for n in range(1, 13)]
    start = datetime.date(2026, 1, 12)
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                study_group=group,
                study_period=period,
                first_day=start + datetime.timedelta(days=30 * n),
                last_day=start + datetime.timedelta(days=30 * n + 9),
                state=Meeting.State.ANNOUNCED,
            )
            for n in range(40)
        ]
    )
    meeting = meetings[-1]
    now = timezone.now()
    of_meeting = {"study_group": group, "study_period": period, "meeting": meeting, "posted_at": now}
    documents = Document.objects.bulk_create(
        [
            Document(**of_meeting, kind=Kind.CONTRIBUTION, number=n, title=f"Proposal {n}", source=f"Operator {n % 7}")
            for n in range(1, 401)
        ]
        + [
            Document(**of_meeting, kind=Kind.TD, scope=TdScope.PLEN, number=n, title=f"Report {n}", source="TSB")
            for n in range(1, 601)
        ]
    )
    through = Document.questions.through
    through.objects.bulk_create(
        [through(document_id=d.pk, question_id=questions[i % 12].pk) for i, d in enumerate(documents)]
    )
    member = User.objects.create_user(email="member@example.org", password=secrets.token_urlsafe(16))
    entity = MemberEntity.objects.create(name="Administration", category="administration", country="CH")
    Affiliation.objects.create(user=member, entity=entity, state=Affiliation.State.APPROVED)
    _row, token = create_access_token(
        user=member,
        name="bench",
        scopes=[Scope.MEETINGS_READ, Scope.DOCUMENTS_READ],
        expires_in=datetime.timedelta(days=1),
    )
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.StaffModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    return {"meeting": meeting.pk, "token": token, "session": session.session_key}


def serve(database_url: str, var_dir) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(var_dir / "static"),
        "MEDIA_ROOT": str(var_dir / "media"),
        "API_RATE_LIMIT": "100000000/min",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "sg17portal.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/meetings/", timeout=2)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    return server, base


def check(url: str, headers: dict) -> int:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body = response.read()
        assert (response.status, response.url) == (200, url), (response.status, response.url)
        return len(body)


def wrk(url: str, headers: dict) -> float:
    args = ["wrk", "-t2", "-c10", f"-d{DURATION}", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    assert "Non-2xx" not in out, out
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    # The session is written here and read by the server: both sign with the same key.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
    with throwaway_django("bench_api", keep_redis=True, test_environment=False) as var_dir:
        from django.db import connection

        data = build()
        connection.close()
        server, base = serve(os.environ["DATABASE_URL"], var_dir)
        try:
            page = {"Cookie": f"sessionid={data['session']}"}
            api = {"Authorization": f"Bearer {data['token']}"}
            m = data["meeting"]
            cases = [
                ("meetings list, HTML page", f"{base}/meetings/", page),
                ("meetings list, API (40 rows)", f"{base}/api/v1/meetings/", api),
                ("1,000 documents, HTML page", f"{base}/meetings/{m}/documents/", page),
                ("1,000 documents, API (one page)", f"{base}/api/v1/meetings/{m}/documents/?page_size=1000", api),
            ]
            print(f"gunicorn 2 sync workers, production settings; wrk -t2 -c10 -d{DURATION}; same run")
            results = {}
            for label, url, headers in cases:
                size = check(url, headers)
                results[label] = wrk(url, headers)
                print(f"{label:34s} {results[label]:8.1f} req/s   ({size / 1024:7.1f} KiB)")
            pairs = [("meetings list", 0, 1), ("1,000 documents", 2, 3)]
            for name, html, json in pairs:
                ratio = results[cases[json][0]] / results[cases[html][0]]
                print(f"{name}: API / HTML = {ratio:.2f}")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)


if __name__ == "__main__":
    main()
