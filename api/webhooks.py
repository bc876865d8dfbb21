"""Webhook deliveries through an outbox: a row per endpoint and event, written in the transaction of the change.

Sending works like the mail outbox: a worker claims due rows (``select_for_update(skip_locked=True)``) and marks
them *sending*, posts each one, and records the outcome: *delivered* on a 2xx answer, else queued again with an
exponential backoff, *failed* after the last attempt. The row is unique per endpoint and event id, so an event
is written once; the receiver dedupes on the ``webhook-id`` header for the rare resend after a worker died
between the POST and the record.

Signatures follow the Standard Webhooks scheme: ``webhook-signature: v1,<base64 HMAC-SHA256>`` over
``"<webhook-id>.<webhook-timestamp>.<body>"`` with the endpoint's secret.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

# Links a receiver can follow to read what changed, per id in the event's data.
_LINKS = {
    "meeting_id": ("meeting", "api:meeting-detail"),
    "document_id": ("document", "api:document-detail"),
}


def _links(data: dict) -> dict:
    links = {}
    for key, (name, view) in _LINKS.items():
        if data.get(key):
            links[name] = settings.SITE_URL + reverse(view, kwargs={"pk": data[key]})
    return links


def record_event(sender, *, event_type, event_id, occurred_at, data, **kwargs) -> None:
    """Receiver of ``notifications.events.event_published``: one delivery row per active endpoint that wants it.

    Side effects, in order: the delivery rows, in one statement (an event id already recorded for an endpoint
    is skipped); on commit, the delivery task.
    """
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if event_type in e.events]
    if not endpoints:
        return
    payload = {
        "id": event_id,
        "type": event_type,
        "occurred_at": occurred_at.isoformat(),
        "data": data,
        "links": _links(data),
    }
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=e, event_id=event_id, event_type=event_type, payload=payload, created_at=occurred_at
            )
            for e in endpoints
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(partial(enqueue_delivery, countdown=0))


def enqueue_delivery(countdown: float = 0) -> None:
    from .tasks import deliver_webhooks

    try:
        deliver_webhooks.apply_async(countdown=countdown)
    except Exception:
        # The broker may be down: the periodic sweep delivers later.
        logger.warning("Could not enqueue the webhook task; the sweep will deliver.", exc_info=True)


def sign(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    key = secret.removeprefix("whsec_").encode()
    digest = hmac.new(key, f"{event_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does: checks the signature and that the timestamp is recent."""
    try:
        event_id, timestamp = headers["webhook-id"], int(headers["webhook-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, event_id, timestamp, body)
    return any(hmac.compare_digest(expected, s) for s in headers.get("webhook-signature", "").split())


def release_stale_claims(*, now=None) -> int:
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.SENDING, claimed_at__lt=now - settings.WEBHOOK_SENDING_LEASE
    ).update(state=WebhookDelivery.State.QUEUED, claimed_at=None, next_attempt_at=now)


def _claim(batch_size: int, *, tried: set[int]) -> list[WebhookDelivery]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(state=WebhookDelivery.State.QUEUED, next_attempt_at__lte=now, endpoint__is_active=True)
            .exclude(pk__in=tried)
            .order_by("next_attempt_at", "id")[:batch_size]
        )
        for row in rows:
            row.state, row.claimed_at, row.attempts = WebhookDelivery.State.SENDING, now, row.attempts + 1
        WebhookDelivery.objects.bulk_update(rows, ["state", "claimed_at", "attempts"])
    return rows


def receiver_refusal(url: str, *, must_resolve: bool = True) -> str:
    """Why deliveries may not go to ``url`` ("" when they may): not http(s), or a host that resolves to an address
    outside the public internet and outside ``WEBHOOK_ALLOWED_NETWORKS``. A host that does not resolve is refused
    only with ``must_resolve`` (at delivery; at registration its name may not exist yet)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("The address must start with https:// (or http://) and name a host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)}
    except (OSError, ValueError):
        return _("The host %(host)s could not be found.") % {"host": parts.hostname} if must_resolve else ""
    allowed = [ipaddress.ip_network(network, strict=False) for network in settings.WEBHOOK_ALLOWED_NETWORKS]
    for address in sorted(addresses):
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global and not any(ip in network for network in allowed):
            return _(
                "The host %(host)s is on a private or reserved network (%(address)s): receivers must be public."
            ) % {"host": parts.hostname, "address": ip}
    return ""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A receiver answering with a redirect gets no second request: the redirect could point inside."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    refusal = receiver_refusal(delivery.endpoint.url)  # again at each delivery: the name may resolve elsewhere now
    if refusal:
        return None, f"Refused: {refusal}"[:1000]
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the secretariat registers http(s) URLs only
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "sg17portal-webhooks/1",
            "webhook-id": delivery.event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(delivery.endpoint.secret, delivery.event_id, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:1000]


def _record(delivery: WebhookDelivery, status: int | None, error: str, duration_ms: int) -> float | None:
    """Records one attempt; returns the delay before the next one, or None when the delivery is settled."""
    now = timezone.now()
    WebhookAttempt.objects.create(delivery=delivery, at=now, status=status, error=error, duration_ms=duration_ms)
    delivery.last_status, delivery.last_error, delivery.claimed_at = status, error, None
    delay = None
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.delivered_at, delivery.last_error = WebhookDelivery.State.DELIVERED, now, ""
    elif delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        backoff = settings.WEBHOOK_RETRY_BASE * (2 ** (delivery.attempts - 1))
        delivery.state, delivery.next_attempt_at = WebhookDelivery.State.QUEUED, now + backoff
        delay = backoff.total_seconds()
    else:
        delivery.state = WebhookDelivery.State.FAILED
    delivery.save(update_fields=["state", "delivered_at", "next_attempt_at", "last_status", "last_error", "claimed_at"])
    return delay


def deliver_due(*, batch_size: int = 20) -> int:
    """Sends every due delivery once. Returns how many were delivered.

    Side effects, in order, per batch: rows marked *sending*; each posted to its endpoint and its attempt
    logged, then marked *delivered*, or queued again with a backoff (and a delayed task), or *failed*.
    """
    release_stale_claims()
    delivered = 0
    tried: set[int] = set()
    while rows := _claim(batch_size, tried=tried):
        tried.update(r.pk for r in rows)
        for row in rows:
            started = time.monotonic()
            status, error = _post(row)
            delay = _record(row, status, error, int((time.monotonic() - started) * 1000))
            if delay is not None:
                enqueue_delivery(countdown=delay)
            elif row.state == WebhookDelivery.State.DELIVERED:
                delivered += 1
    return delivered
