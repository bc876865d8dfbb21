import datetime
import threading
import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import OutgoingMail
from tests.factories import UserFactory
from tests.smtp import SmtpSink


def queue_notice(key="notice:1", to="someone@example.org", **context):
    return services.queue_mail(
        to=to,
        template="notifications/notice",
        context={"subject": "Your registration", "lines": ["It was approved."], **context},
        dedupe_key=key,
    )


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and the portal pointed at it."""
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield sink


def point_at(settings, sink):
    settings.EMAIL_PORT = sink.port


@pytest.mark.django_db
def test_queue_mail_same_dedupe_key_twice_gives_one_row():
    assert queue_notice(key="registration:7:approved") is True
    assert queue_notice(key="registration:7:approved") is False
    assert OutgoingMail.objects.filter(dedupe_key="registration:7:approved").count() == 1


@pytest.mark.django_db
def test_queue_rendered_skips_repeated_keys_within_one_batch():
    mails = [services.Mail("a@example.org", "S", "B", "", "k1"), services.Mail("a@example.org", "S", "B", "", "k1")]
    assert services.queue_rendered(mails) == 1
    assert OutgoingMail.objects.count() == 1


@pytest.mark.django_db
def test_queue_mail_renders_subject_text_and_html():
    queue_notice(greeting_name="Daniel", action_url="https://portal.example.org/r/7/")
    mail = OutgoingMail.objects.get()
    assert mail.subject == "[ITU-T SG portal] Your registration"
    assert mail.body_text.startswith("Dear Daniel,\n\nIt was approved.\n")
    assert '<a href="https://portal.example.org/r/7/">' in mail.body_html
    assert mail.state == OutgoingMail.State.QUEUED


@pytest.mark.django_db
def test_queue_mail_escapes_html_in_context():
    queue_notice(lines=["<script>alert(1)</script>"])
    assert "&lt;script&gt;" in OutgoingMail.objects.get().body_html


@pytest.mark.django_db
def test_queue_mail_enqueues_sending_only_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_notice(key="a")
        queue_notice(key="a")
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_send_due_mail_delivers_over_smtp_and_marks_sent(smtp):
    queue_notice()
    assert services.send_due_mail() == 1
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts, mail.last_error) == (OutgoingMail.State.SENT, 1, "")
    assert mail.sent_at is not None
    [message] = smtp.messages
    assert message["To"] == "someone@example.org"
    assert message["Subject"] == "[ITU-T SG portal] Your registration"
    assert message["X-Portal-Mail-Id"] == str(mail.pk)


@pytest.mark.django_db
def test_send_due_mail_leaves_mail_not_yet_due(smtp):
    queue_notice()
    OutgoingMail.objects.update(next_attempt_at=timezone.now() + datetime.timedelta(minutes=5))
    assert services.send_due_mail() == 0
    assert smtp.messages == []


@pytest.mark.django_db
def test_send_due_mail_transient_error_queues_again_with_backoff(settings, smtp):
    smtp.behaviour.mode = "tempfail"
    queue_notice()
    before = timezone.now()
    assert services.send_due_mail() == 0
    mail = OutgoingMail.objects.get()
    assert mail.state == OutgoingMail.State.QUEUED
    assert mail.attempts == 1
    assert "451" in mail.last_error
    assert mail.next_attempt_at >= before + settings.OUTBOX_RETRY_BASE
    assert (mail.claimed_at, mail.claim_token, mail.lease_expires_at) == (None, None, None)


@pytest.mark.django_db
def test_send_due_mail_transient_errors_fail_after_the_last_attempt(settings, smtp):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE = datetime.timedelta(0)
    smtp.behaviour.mode = "tempfail"
    queue_notice()
    for _ in range(3):
        services.send_due_mail()
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == (OutgoingMail.State.FAILED, 3)


@pytest.mark.django_db
def test_send_due_mail_retries_then_sends_when_server_recovers(settings, smtp):
    settings.OUTBOX_RETRY_BASE = datetime.timedelta(0)
    smtp.behaviour.mode = "tempfail"
    queue_notice()
    services.send_due_mail()
    smtp.behaviour.mode = "accept"
    assert services.send_due_mail() == 1
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == (OutgoingMail.State.SENT, 2)
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_send_due_mail_permanent_error_fails_at_once(smtp):
    smtp.behaviour.mode = "reject"
    queue_notice()
    services.send_due_mail()
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == (OutgoingMail.State.FAILED, 1)
    assert "550" in mail.last_error


@pytest.mark.django_db
def test_send_due_mail_unreachable_server_is_transient(settings, smtp):
    settings.EMAIL_PORT = 1  # nothing listens there
    queue_notice()
    services.send_due_mail()
    mail = OutgoingMail.objects.get()
    assert mail.state == OutgoingMail.State.QUEUED
    assert mail.attempts == 1


@pytest.mark.django_db
def test_sweep_queues_again_a_claim_whose_lease_ran_out(settings, smtp):
    queue_notice()
    OutgoingMail.objects.update(
        state=OutgoingMail.State.SENDING,
        claim_token=uuid.uuid4(),
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
        attempts=1,
    )
    assert services.sweep_outbox() == 1
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == (OutgoingMail.State.SENT, 2)


@pytest.mark.django_db
def test_sweep_leaves_a_fresh_claim_to_its_worker(smtp):
    queue_notice()
    OutgoingMail.objects.update(
        state=OutgoingMail.State.SENDING,
        claim_token=uuid.uuid4(),
        lease_expires_at=timezone.now() + datetime.timedelta(seconds=60),
        attempts=1,
    )
    assert services.sweep_outbox() == 0
    assert OutgoingMail.objects.get().state == OutgoingMail.State.SENDING


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_mail_once(smtp):
    for n in range(40):
        queue_notice(key=f"bulk:{n}", to=f"p{n}@example.org")
    start = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            start.wait()
            results.append(services.send_due_mail(batch_size=3))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(results) == 40
    ids = sorted(int(m["X-Portal-Mail-Id"]) for m in smtp.messages)
    assert ids == sorted(OutgoingMail.objects.values_list("pk", flat=True))
    assert OutgoingMail.objects.filter(state=OutgoingMail.State.SENT).count() == 40


@pytest.mark.django_db
def test_admin_shows_failed_mail_to_staff_and_queues_it_again(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    queue_notice()
    OutgoingMail.objects.update(state=OutgoingMail.State.FAILED, last_error="SMTPDataError: 550")
    client.force_login(admin)
    url = reverse("admin:notifications_outgoingmail_changelist")
    response = client.get(url, {"state__exact": "failed"})
    assert response.status_code == 200
    assert "SMTPDataError: 550" in response.content.decode()
    mail = OutgoingMail.objects.get()
    response = client.post(url, {"action": "retry", "_selected_action": [mail.pk]})
    assert response.status_code == 302
    mail.refresh_from_db()
    assert (mail.state, mail.attempts, mail.last_error) == (OutgoingMail.State.QUEUED, 0, "")


@pytest.mark.django_db(transaction=True)
def test_a_row_being_sent_is_never_queued_again_and_the_old_holder_skips_rows_that_were(settings, smtp):
    """A lease shorter than one message: while the first worker talks to a slow relay, the sweep takes
    back the rest of its batch (not the row it is sending, which it holds locked); a second worker sends
    those; the first one, back from the relay, finds its claim gone and leaves them alone."""
    settings.OUTBOX_SENDING_LEASE = datetime.timedelta(milliseconds=100)
    smtp.behaviour.delay = 1.5
    for n in range(3):
        queue_notice(key=f"slow:{n}", to=f"p{n}@example.org")
    first_sent = []

    def first_worker():
        try:
            first_sent.append(services.send_due_mail(batch_size=3))
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    worker.start()
    assert smtp.behaviour.connected.wait(5)
    time.sleep(0.3)  # the lease of the whole batch has run out; the first row is with the relay

    assert services.release_stale_claims() == 2
    assert services.send_due_mail() == 2
    worker.join(10)

    assert first_sent == [1]
    delivered = sorted(int(m["X-Portal-Mail-Id"]) for m in smtp.messages)
    assert delivered == sorted(OutgoingMail.objects.values_list("pk", flat=True))
    assert set(OutgoingMail.objects.values_list("state", flat=True)) == {OutgoingMail.State.SENT}


@pytest.mark.django_db
def test_a_mail_sent_on_a_later_attempt_carries_the_message_id_of_its_row(settings, smtp):
    """The Message-ID depends on the row only, so a relay or a reader can recognise a repeated attempt."""
    settings.OUTBOX_RETRY_BASE = datetime.timedelta(0)
    smtp.behaviour.mode = "tempfail"
    queue_notice()
    services.send_due_mail()
    smtp.behaviour.mode = "accept"
    services.send_due_mail()
    mail = OutgoingMail.objects.get()
    assert mail.attempts == 2
    [message] = smtp.messages
    assert message["Message-ID"] == services.message_id(mail)
    assert message["Message-ID"].startswith(f"<outbox.{mail.pk}.")
