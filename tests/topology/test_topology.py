"""The production topology, natively: nginx on deploy/nginx.conf in front of two gunicorn nodes, a worker,
PostgreSQL, a redis-server and moto's S3 server, all started here on free ports and stopped by their PIDs.

The tests run in this order against one stack; each makes its own data (the database is emptied between them).
"""

import contextlib
import http.client
import re
import socket
import subprocess
import threading
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.db import connection
from django.utils import timezone

from meetings.models import Meeting, PdfJob
from notifications.models import OutgoingMail
from registration.models import MemberEntity, Registration
from tests.documents.factories import docx_bytes
from tests.factories import PASSWORD, MeetingFactory, MemberEntityFactory, UserFactory, member_of, open_meeting
from tests.integration.conftest import database_url
from tests.smtp import SmtpSink
from tests.topology.stack import BUCKET, ROOT, Stack

pytestmark = [pytest.mark.topology, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def smtp():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, smtp):
    with django_db_blocker.unblock():
        url = database_url()
    started = Stack(url)
    try:
        started.start(smtp_port=smtp.port)
        yield started
    finally:
        started.stop()


def s3_keys(stack) -> list[str]:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=stack.s3_url,
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name="us-east-1",
    )
    return [entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


class Browser(requests.Session):
    """A client that sends the portal's Secure cookies over the test's plain http, as a browser would over the
    https that terminates in front of production's nginx."""

    def request(self, *args, **kwargs):
        for cookie in self.cookies:
            cookie.secure = False
        return super().request(*args, **kwargs)


def browser() -> requests.Session:
    return Browser()


def production_password(user):
    """The web nodes run production's password hashers (the test process hashes with MD5 for speed)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def signed_in(stack, user) -> requests.Session:
    """A browser session signed in through nginx with the login form."""
    production_password(user)
    session = browser()
    session.get(f"{stack.url}/accounts/login/", timeout=30)
    response = session.post(
        f"{stack.url}/accounts/login/",
        data={"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{stack.url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]
    return session


def post_contribution(stack, session, meeting, entity, files):
    form = session.get(f"{stack.url}/meetings/{meeting.pk}/contributions/new/", timeout=30)
    assert form.status_code == 200
    return session.post(
        f"{stack.url}/meetings/{meeting.pk}/contributions/new/",
        data={"entity": entity.pk, "title": "Security of things", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        files=files,
        headers={"Referer": f"{stack.url}/meetings/{meeting.pk}/contributions/new/"},
        allow_redirects=False,
        timeout=60,
    )


def stop_node(stack, index):
    port = stack.web_ports[index]
    stack.web.pop(port).stop()


def nginx_fail_timeout() -> float:
    """How long nginx skips a node after it refused a connection (each nginx worker keeps its own count)."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    return float(re.search(r"fail_timeout=(\d+)s", conf).group(1))


def test_contribution_posted_on_node_a_downloads_on_node_b_by_a_short_lived_presigned_url(stack):
    node_a, node_b = stack.web_ports
    entity = MemberEntityFactory()
    member = member_of(entity)
    meeting = open_meeting()
    session = signed_in(stack, member)

    stop_node(stack, 1)  # only node A answers: the posting goes through it
    posted = post_contribution(stack, session, meeting, entity, {"files": ("c.docx", docx_bytes())})
    assert posted.status_code == 302, posted.text[:2000]
    stack.start_web(node_b)
    # Node B refused the posting's first connection while it was down; nginx takes it back after fail_timeout,
    # as an operator waits before stopping the other node.
    time.sleep(nginx_fail_timeout() + 0.5)
    stop_node(stack, 0)  # only node B answers: the download goes through it
    try:
        [key] = s3_keys(stack)
        document = session.get(urljoin(stack.url, posted.headers["Location"]), timeout=30).text
        match = re.search(r'href="(/documents/files/\d+/[^"]+)"', document)
        assert match, document[:2000]
        link = match.group(1)
        answer = session.get(stack.url + link, allow_redirects=False, timeout=30)

        assert answer.status_code == 302
        location = answer.headers["Location"]
        assert location.startswith(f"{stack.s3_url}/{BUCKET}/{key}?")
        query = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
        assert query["X-Amz-Expires"] == "60"
        assert query["response-content-disposition"].startswith("attachment; filename=")
        assert query["response-content-type"].startswith("application/vnd.openxmlformats")
        fetched = requests.get(location, timeout=30)
        assert (fetched.status_code, fetched.content[:2]) == (200, b"PK")
        assert fetched.headers["Content-Disposition"].startswith("attachment")
        assert requests.get(location.split("?")[0], timeout=30).status_code == 403  # unsigned: refused

        anonymous = requests.get(stack.url + link, allow_redirects=False, timeout=30)
        outsider = signed_in(stack, UserFactory()).get(stack.url + link, allow_redirects=False, timeout=30)
        assert anonymous.status_code == 302
        assert "/accounts/login/" in anonymous.headers["Location"]
        assert outsider.status_code in (403, 404)
        assert "X-Amz" not in anonymous.headers.get("Location", "") + outsider.headers.get("Location", "")
    finally:
        stack.start_web(node_a)


def test_a_node_killed_under_read_load_fails_no_get(stack, capsys):
    meeting = MeetingFactory(state=Meeting.State.ANNOUNCED)
    path = f"/meetings/{meeting.pk}/"
    assert stack.get(path).status == 200
    results: list = []
    stop = threading.Event()

    def load():
        with requests.Session() as client:
            while not stop.is_set():
                try:
                    results.append(client.get(stack.url + path, timeout=30).status_code)
                except requests.RequestException as error:
                    results.append(repr(error))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    node_a = stack.web_ports[0]
    stack.web.pop(node_a).kill()  # SIGKILL to the master and its workers
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(60)
    stack.start_web(node_a)

    failed = [r for r in results if r != 200]
    with capsys.disabled():
        print(f"\n[topology] node killed under load: {len(results)} GETs, {len(failed)} failed")
    assert len(results) > 20
    assert failed == []


def _slow_body_client(port, path, stop):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: 100000\r\n\r\n".encode()
    )
    while not stop.is_set():
        try:
            sock.sendall(b"a")
        except OSError:
            break
        stop.wait(0.5)
    sock.close()


def test_slow_clients_do_not_delay_health_and_a_huge_post_gets_413_leaving_nothing(stack):
    keys_before = s3_keys(stack)
    stop = threading.Event()
    slow = [
        threading.Thread(target=_slow_body_client, args=(stack.nginx_port, "/accounts/login/", stop)) for _ in range(3)
    ]
    for thread in slow:
        thread.start()
    try:
        time.sleep(1)
        timings = []
        for _ in range(3):
            started = time.monotonic()
            assert stack.get("/health/", timeout=10).status == 200
            timings.append(time.monotonic() - started)
    finally:
        stop.set()
        for thread in slow:
            thread.join(10)
    # A slow client held by a web node would hold it for the whole body timeout (15 s); nginx holds them instead.
    assert max(timings) < 5, timings

    meeting = open_meeting()
    huge = http.client.HTTPConnection("127.0.0.1", stack.nginx_port, timeout=30)
    huge.putrequest("POST", f"/meetings/{meeting.pk}/contributions/new/")
    huge.putheader("Content-Type", "multipart/form-data; boundary=x")
    huge.putheader("Content-Length", str(300 * 1024 * 1024))
    huge.endheaders()
    with contextlib.suppress(OSError):  # nginx may close the connection before the first megabyte is read
        huge.send(b"--x\r\n" + b"0" * 1024 * 1024)
    assert huge.getresponse().status == 413
    huge.close()
    leftovers = [
        p for p in (stack.nginx_temp, stack.upload_temp, stack.media_root) for p in p.rglob("*") if p.is_file()
    ]
    assert leftovers == []
    assert s3_keys(stack) == keys_before


def test_a_direct_client_claiming_https_is_plain_http(stack):
    """Django refuses a secure request without a Referer (CSRF): the refusal shows when the claim is believed."""
    node = stack.web_ports[0]

    def login_post(source_address):
        session = browser()
        session.get(f"http://127.0.0.1:{node}/accounts/login/", timeout=30)
        token = session.cookies["csrftoken"]
        conn = http.client.HTTPConnection("127.0.0.1", node, timeout=30, source_address=(source_address, 0))
        body = f"login=nobody%40example.org&password=x&csrfmiddlewaretoken={token}"
        conn.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Host": "127.0.0.1",
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={token}",
                "X-Forwarded-Proto": "https",
            },
        )
        status = conn.getresponse().status
        conn.close()
        return status

    assert login_post("127.0.0.3") == 200  # a client of its own: plain http, the form answers
    assert login_post("127.0.0.1") == 403  # the trusted proxy's address: https believed, no Referer refused


def test_redis_down_login_works_limits_hold_and_the_decision_mail_goes_out_once_redis_is_back(stack, smtp):
    entity = MemberEntityFactory()
    focal_point = member_of(entity)
    entity.focal_points.add(focal_point)
    delegate = production_password(member_of(entity))
    meeting = open_meeting()
    registration = Registration.objects.create(meeting=meeting, delegate=delegate, entity=entity)
    sent_before = len(smtp.messages)

    stack.stop_redis()
    try:
        health = requests.get(f"{stack.url}/health/", timeout=30)
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert set(health.json()["degraded"]) >= {"broker", "cache"}

        session = signed_in(stack, focal_point)
        assert session.get(f"{stack.url}/registration/queue/", timeout=30).status_code == 200
        decided = session.post(
            f"{stack.url}/registration/{registration.pk}/approve/",
            data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": f"{stack.url}/registration/queue/"},
            allow_redirects=False,
            timeout=60,
        )
        assert decided.status_code == 302
        registration.refresh_from_db()
        assert registration.state == Registration.State.APPROVED

        guesser = browser()
        guesser.get(f"{stack.url}/accounts/login/", timeout=30)
        statuses = [
            guesser.post(
                f"{stack.url}/accounts/login/",
                data={
                    "login": delegate.email,
                    "password": "wrong",
                    "csrfmiddlewaretoken": guesser.cookies["csrftoken"],
                },
                headers={"Referer": f"{stack.url}/accounts/login/"},
                timeout=30,
            ).status_code
            for _ in range(6)
        ]
        assert statuses == [200] * 5 + [429]
        time.sleep(1)
        assert len(smtp.messages) == sent_before  # nothing could be queued for the worker
    finally:
        stack.start_redis()

    mail = OutgoingMail.objects.get(recipient=delegate.email)
    # What beat does every SWEEP_INTERVAL_SECONDS: the outbox sweep finds the waiting row.
    from sg17portal.celery import app

    with app.connection_for_write(stack.redis_url) as conn:
        app.send_task("notifications.sweep_outbox", connection=conn, queue="mail")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        mail.refresh_from_db()
        if mail.state == OutgoingMail.State.SENT:
            break
        time.sleep(0.5)
    assert mail.state == OutgoingMail.State.SENT, stack.worker.output()[-3000:]
    time.sleep(2)
    to_delegate = [m for m in smtp.messages[sent_before:] if delegate.email in m["To"]]
    assert len(to_delegate) == 1


def test_participants_pdf_of_1000_delegates_is_rendered_by_the_worker_and_served(stack, secretariat):
    meeting = open_meeting()
    entities = MemberEntity.objects.bulk_create(
        [MemberEntity(name=f"Administration {n:02d}", category="administration", country="CH") for n in range(40)]
    )
    UserFactory.reset_sequence(10000)
    people = [
        UserFactory.build(email=f"delegate{n}@example.org", given_name=f"Given{n}", family_name=f"Family{n:04d}")
        for n in range(1000)
    ]
    from accounts.models import User

    people = User.objects.bulk_create(people)
    Registration.objects.bulk_create(
        [
            Registration(
                meeting=meeting, delegate=p, entity=entities[n % 40], state="approved", decided_at=timezone.now()
            )
            for n, p in enumerate(people)
        ]
    )
    connection.close()
    session = signed_in(stack, secretariat)

    request_page = f"{stack.url}/meetings/{meeting.pk}/participants-pdf/"
    assert "1000 approved participants" in session.get(request_page, timeout=30).text
    assert PdfJob.objects.count() == 0  # the page only says what the PDF will hold
    started = time.monotonic()
    answer = session.post(
        request_page,
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": request_page},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302
    job_page = urljoin(stack.url, answer.headers["Location"])
    assert time.monotonic() - started < 5  # the request only queued the job
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        page = session.get(job_page, timeout=30).text
        if "The PDF is ready" in page or "could not be rendered" in page:
            break
        assert "data-refresh-seconds=" in page  # the page keeps asking until the job is finished
        time.sleep(1)
    assert "The PDF is ready" in page, stack.worker.output()[-3000:]
    job = PdfJob.objects.get()
    file_link = re.search(r'href="(/pdf-jobs/\d+/file/)"', page).group(1)
    pdf = session.get(stack.url + file_link, timeout=60)  # follows the presigned URL to the bucket
    assert pdf.content.startswith(b"%PDF")
    assert job.file.name in s3_keys(stack)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "FAMILY0000" in text.upper()
    assert "FAMILY0999" in text.upper()
    print(f"\n[topology] participants PDF of 1,000: {(job.finished_at - job.created_at).total_seconds():.1f} s job")
