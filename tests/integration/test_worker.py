import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications import services
from notifications.models import OutgoingMail
from tests.integration.conftest import CELERY, Process
from tests.smtp import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def wait_for_state(mail_id, state, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = OutgoingMail.objects.get(pk=mail_id).state
        if current == state:
            return
        time.sleep(0.2)
    raise AssertionError(f"mail {mail_id} still {current!r}, expected {state!r}")


def queue_one(key="integration:1"):
    with transaction.atomic():
        services.queue_mail(
            to="delegate@example.org",
            template="notifications/notice",
            context={"subject": "Registration approved", "lines": ["Welcome."]},
            dedupe_key=key,
        )
    return OutgoingMail.objects.get(dedupe_key=key).pk


def test_worker_sends_mail_queued_in_a_committed_transaction(start_worker):
    with SmtpSink() as smtp:
        start_worker(EMAIL_HOST="127.0.0.1", EMAIL_PORT=smtp.port)
        mail_id = queue_one()
        wait_for_state(mail_id, OutgoingMail.State.SENT)
        [message] = smtp.messages
        assert message["Subject"] == "[ITU-T SG portal] Registration approved"
        assert message["X-Portal-Mail-Id"] == str(mail_id)


def test_worker_killed_while_sending_loses_no_mail(settings, start_worker):
    with SmtpSink(mode="stall") as stalling:
        worker = start_worker(EMAIL_HOST="127.0.0.1", EMAIL_PORT=stalling.port, EMAIL_TIMEOUT=120)
        mail_id = queue_one()
        assert stalling.behaviour.connected.wait(30), "the worker never reached the SMTP server"
        wait_for_state(mail_id, OutgoingMail.State.SENDING)
        worker.kill()  # SIGKILL in the middle of the SMTP conversation
    assert OutgoingMail.objects.get(pk=mail_id).state == OutgoingMail.State.SENDING

    with SmtpSink() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        # Before the lease runs out the sweep leaves the claim alone; after it, the mail is sent.
        assert services.sweep_outbox() == 0
        OutgoingMail.objects.filter(pk=mail_id).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))
        assert services.sweep_outbox() == 1
        assert len(smtp.messages) == 1
    mail = OutgoingMail.objects.get(pk=mail_id)
    assert (mail.state, mail.attempts) == (OutgoingMail.State.SENT, 2)


def test_beat_installs_the_outbox_sweep_in_the_database_scheduler(process_env):
    beat = Process(
        [
            str(CELERY),
            "-A",
            "sg17portal",
            "beat",
            "--loglevel=DEBUG",
            "--scheduler",
            "django_celery_beat.schedulers:DatabaseScheduler",
        ],
        process_env(),
    )
    try:
        beat.wait_for_output("beat: Starting...")
        deadline = time.monotonic() + 30
        while not PeriodicTask.objects.filter(name="outbox-sweep").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        beat.stop()
    task = PeriodicTask.objects.get(name="outbox-sweep")
    assert task.task == "notifications.sweep_outbox"
    assert task.interval.every == 60
