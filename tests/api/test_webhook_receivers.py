"""Webhook receivers must be public: the portal never posts to its own network, at registration or delivery."""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from api.models import Scope, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from api.services import create_access_token, register_webhook
from api.webhooks import deliver_due, receiver_refusal

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that counts the requests it gets and answers with ``status`` (and ``location``)."""

    def __init__(self, status=204, location=""):
        self.requests = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.requests += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers():
    started = []

    def start(**kwargs):
        started.append(Receiver(**kwargs))
        return started[-1]

    yield start
    for receiver in started:
        receiver.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hook",
        "http://192.168.0.10:8000/hook",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata endpoint
        "http://[::1]:8000/hook",
        "http://localhost:6379/",  # a name that resolves to the loopback
        "http://0.0.0.0/hook",
        "ftp://files.example.org/hook",
    ],
)
def test_registration_refuses_receivers_outside_the_public_internet(settings, secretariat, url):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    with pytest.raises(ValidationError) as refused:
        register_webhook(url=url, events=["document.posted"], by=secretariat)
    assert list(refused.value.message_dict) == ["url"]
    assert not WebhookEndpoint.objects.exists()


def test_public_addresses_and_names_not_resolvable_yet_are_accepted(settings, secretariat):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    assert receiver_refusal("https://93.184.216.34/hook") == ""
    register_webhook(url="https://hooks.invalid/portal", events=["document.posted"], by=secretariat)
    assert receiver_refusal("https://hooks.invalid/portal")  # but a delivery needs the name to resolve


def test_the_api_answers_400_naming_the_url(client, settings, secretariat):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    _token, raw = create_access_token(
        user=secretariat, name="ci", scopes=[Scope.WEBHOOKS_MANAGE], expires_in=datetime.timedelta(days=1)
    )
    response = client.post(
        reverse("api:webhook-list"),
        {"url": "http://169.254.169.254/hook", "events": ["document.posted"]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 400
    assert "url" in response.content.decode()


def _queued_delivery(endpoint):
    return WebhookDelivery.objects.create(
        endpoint=endpoint, event_id="evt-1", event_type="document.posted", payload={"type": "document.posted"}
    )


def test_a_delivery_is_refused_when_the_receiver_now_resolves_inside(settings, secretariat, receivers):
    receiver = receivers()
    endpoint = register_webhook(url=receiver.url, events=["document.posted"], by=secretariat)  # the loopback allowed
    delivery = _queued_delivery(endpoint)
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # as in production: the same address is now refused

    deliver_due()

    assert receiver.requests == 0
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.error.startswith("Refused:")
    delivery.refresh_from_db()
    assert delivery.state != WebhookDelivery.State.DELIVERED


def test_a_receivers_redirect_is_not_followed(secretariat, receivers):
    inside = receivers()
    redirecting = receivers(status=307, location=inside.url)
    endpoint = register_webhook(url=redirecting.url, events=["document.posted"], by=secretariat)
    delivery = _queued_delivery(endpoint)

    deliver_due()

    assert (redirecting.requests, inside.requests) == (1, 0)
    assert WebhookAttempt.objects.get(delivery=delivery).status == 307
