"""The outbox under a slow relay, a lease shorter than a batch, four worker processes, and a SIGKILL.

The counts are chosen to prove the race in about forty seconds. The relay takes 1 s per message, as in
the report of mails sent twice; the lease (0.5 s) is shorter than one message, let alone a batch of 10,
so every sweep takes back the waiting rows of every batch while their workers are busy: the worst case
for the claim protocol, reached at once instead of after a long batch. Four prefork children send in
parallel (4 messages/s), and the test plays beat, asking for a sweep twice a second. Phase one, 80
mails, must be delivered exactly once each. Phase two, 40 more, has one child killed mid-batch: none may
be lost, and at most the one message the dead child had handed to the relay may arrive twice (the relay
accepted it, the child died before recording it: the limit the README states).
"""

import collections
import os
import signal
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from notifications import services
from notifications.models import OutgoingMail
from notifications.tasks import sweep_outbox
from tests.integration.conftest import CELERY, Process
from tests.smtp import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RELAY_SECONDS = 1.0
LEASE_SECONDS = 0.5
BATCH = 10
WORKERS = 4


def queue(first: int, count: int) -> list[int]:
    mails = [
        services.Mail(f"p{n}@example.org", f"Message {n}", "Body", "", f"race:{n}") for n in range(first, first + count)
    ]
    with transaction.atomic():
        services.queue_rendered(mails)
    return list(OutgoingMail.objects.filter(dedupe_key__startswith="race:").values_list("pk", flat=True))


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def sweep_until(condition, timeout: float) -> None:
    """Asks for a sweep twice a second, as beat would with a short interval, until ``condition()``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        sweep_outbox.delay()
        time.sleep(LEASE_SECONDS)
    raise AssertionError("the outbox did not finish in time")


def unsent() -> int:
    return OutgoingMail.objects.exclude(state=OutgoingMail.State.SENT).count()


def test_four_workers_slow_relay_short_lease_each_mail_once_and_none_lost_to_a_sigkill(process_env):
    with SmtpSink(delay=RELAY_SECONDS) as relay:
        connection.close()
        worker = Process(
            [
                str(CELERY),
                "-A",
                "sg17portal",
                "worker",
                "--pool=prefork",
                f"--concurrency={WORKERS}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            process_env(
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=relay.port,
                EMAIL_TIMEOUT=30,
                OUTBOX_SENDING_LEASE_SECONDS=LEASE_SECONDS,
                OUTBOX_BATCH_SIZE=BATCH,
            ),
        )
        try:
            deadline = time.monotonic() + 60
            while len(children(worker.proc.pid)) < WORKERS and time.monotonic() < deadline:
                time.sleep(0.2)

            # Phase one: the race, with every worker alive.
            ids = queue(0, 80)
            sweep_until(lambda: unsent() == 0, timeout=90)
            counts = collections.Counter(int(m["X-Portal-Mail-Id"]) for m in relay.messages)
            assert sorted(counts) == sorted(ids)
            assert set(counts.values()) == {1}
            requeued = OutgoingMail.objects.filter(attempts__gt=1).count()

            # Phase two: one worker killed with SIGKILL in the middle of its batch.
            before = len(relay.messages)
            ids = queue(80, 40)
            while len(relay.messages) < before + 8:
                sweep_outbox.delay()
                time.sleep(LEASE_SECONDS)
            victim = children(worker.proc.pid)[0]
            os.kill(victim, signal.SIGKILL)
            sweep_until(lambda: unsent() == 0, timeout=90)
        finally:
            worker.stop()

        counts = collections.Counter(int(m["X-Portal-Mail-Id"]) for m in relay.messages)
    assert sorted(counts) == sorted(ids)  # none lost
    assert sum(counts.values()) - len(counts) <= 1
    # The short lease did take rows back from live workers: the protocol, not luck, kept them single.
    assert requeued > 0
