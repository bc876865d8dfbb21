"""Webhooks delivered by a real worker to a receiver on loopback that fails twice before it accepts."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from api import webhooks
from api.models import WebhookDelivery
from api.services import register_webhook
from meetings.models import Meeting
from meetings.services import announce_meeting, save_meeting
from notifications.events import EVENT_TYPES
from tests.factories import MeetingFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class FlakyReceiver:
    """Answers 500 to the first two tries of each event id, then 200; keeps what it got."""

    def __init__(self, failures: int = 2):
        self.tries: dict[str, int] = {}
        self.accepted: list[tuple[dict, bytes]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                event_id = self.headers["webhook-id"]
                with receiver.lock:
                    receiver.tries[event_id] = receiver.tries.get(event_id, 0) + 1
                    ok = receiver.tries[event_id] > failures
                    if ok:
                        receiver.accepted.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200 if ok else 500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def wait_until_settled(count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = list(WebhookDelivery.objects.values_list("state", flat=True))
        if len(states) == count and all(s == WebhookDelivery.State.DELIVERED for s in states):
            return
        time.sleep(0.2)
    raise AssertionError(f"deliveries not settled: {list(WebhookDelivery.objects.values('event_id', 'state'))}")


def test_each_event_reaches_a_flaky_receiver_exactly_once_with_a_valid_signature(start_worker):
    secretariat = UserFactory()
    meeting = MeetingFactory(state=Meeting.State.DRAFT, first_day=datetime.date.today() + datetime.timedelta(days=60))
    with FlakyReceiver() as receiver:
        endpoint = register_webhook(url=receiver.url, events=list(EVENT_TYPES), by=secretariat)
        start_worker(WEBHOOK_RETRY_BASE_SECONDS="0.3")
        with transaction.atomic():
            announce_meeting(meeting, by=secretariat)
        meeting.refresh_from_db()
        meeting.venue = "Room B, Geneva"
        with transaction.atomic():
            save_meeting(meeting)

        wait_until_settled(2)

    events = {json.loads(body)["id"]: (headers, body) for headers, body in receiver.accepted}
    assert len(receiver.accepted) == len(events) == 2
    assert sorted(json.loads(b)["type"] for _h, b in receiver.accepted) == ["meeting.announced", "meeting.changed"]
    assert set(receiver.tries.values()) == {3}
    for event_id, (headers, body) in events.items():
        assert headers["webhook-id"] == event_id
        assert webhooks.verify(endpoint.secret, headers, body)
        assert not webhooks.verify("whsec_another", headers, body)
    for delivery in WebhookDelivery.objects.prefetch_related("log"):
        assert (delivery.attempts, [a.status for a in delivery.log.all()]) == (3, [500, 500, 200])

    # A sweep afterwards finds nothing due: nothing is sent twice.
    assert webhooks.deliver_due() == 0
    assert len(receiver.accepted) == 2
