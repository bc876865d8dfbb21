"""The outbox: every e-mail is queued as a row and sent by a worker that claims it.

``queue_mail`` runs in the caller's transaction, so a mail exists exactly when the change it reports
was committed. Sending happens in two short steps: claim due rows (``select_for_update`` with
``skip_locked``, so concurrent sweeps never take the same row) and mark them *sending*; then send each
and record the outcome. A worker killed mid-send leaves its rows in *sending*; once the lease has run
out the next sweep queues them again.
"""

import hashlib
import logging
import smtplib
import socket
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from sg17portal.celery import enqueue_on_commit

from .models import OutgoingMail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    """A rendered message waiting to be queued."""

    recipient: str
    subject: str
    body_text: str
    body_html: str
    dedupe_key: str


def render_mail(*, to: str, template: str, context: dict, dedupe_key: str) -> Mail:
    """Renders ``<template>_subject.txt``, ``<template>_body.txt`` and, if present, ``_body.html``."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = render_to_string(f"{template}_subject.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    body_text = render_to_string(f"{template}_body.txt", context)
    try:
        body_html = render_to_string(f"{template}_body.html", context)
    except TemplateDoesNotExist:  # the HTML part is optional
        body_html = ""
    return Mail(to, subject[:255], body_text, body_html, dedupe_key[:255])


def queue_mail(*, to: str, template: str, context: dict, dedupe_key: str) -> bool:
    """Queues one mail. Returns False when a mail with that dedupe key already exists.

    Side effects, in order: one ``OutgoingMail`` row (or none for a known key); on commit, the send task.
    """
    return queue_rendered([render_mail(to=to, template=template, context=context, dedupe_key=dedupe_key)]) == 1


def queue_rendered(mails: list[Mail]) -> int:
    """Queues already rendered mails in one statement; rows whose dedupe key exists are skipped.

    Side effects, in order: the new ``OutgoingMail`` rows; on commit, one send task.
    Returns how many rows were added.
    """
    if not mails:
        return 0
    keys = [m.dedupe_key for m in mails]
    existing = set(OutgoingMail.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    fresh, seen = [], set(existing)
    for m in mails:
        if m.dedupe_key not in seen:
            seen.add(m.dedupe_key)
            fresh.append(m)
    if fresh:
        # ON CONFLICT DO NOTHING keeps a concurrent writer of the same key from breaking this transaction.
        OutgoingMail.objects.bulk_create(
            [
                OutgoingMail(
                    recipient=m.recipient,
                    subject=m.subject,
                    body_text=m.body_text,
                    body_html=m.body_html,
                    dedupe_key=m.dedupe_key,
                )
                for m in fresh
            ],
            ignore_conflicts=True,
        )
        enqueue_on_commit("notifications.send_queued_mail")
    return len(fresh)


def content_key(*parts: str) -> str:
    """A dedupe key for a message that is unique by its content (e.g. a one-time link)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return digest


# --- Sending -------------------------------------------------------------------------------------

TRANSIENT_ERRORS = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    socket.timeout,
    TimeoutError,
    ConnectionError,
    OSError,
)


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, TRANSIENT_ERRORS)


def release_stale_claims(*, now=None) -> int:
    """Queues again the rows a dead worker left in *sending* after the lease ran out."""
    now = now or timezone.now()
    return OutgoingMail.objects.filter(
        state=OutgoingMail.State.SENDING, claimed_at__lt=now - settings.OUTBOX_SENDING_LEASE
    ).update(state=OutgoingMail.State.QUEUED, claimed_at=None, next_attempt_at=now)


def _claim(batch_size: int, *, tried: set[int]) -> list[OutgoingMail]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(state=OutgoingMail.State.QUEUED, next_attempt_at__lte=now)
            .exclude(pk__in=tried)
            .order_by("next_attempt_at", "id")[:batch_size]
        )
        for row in rows:
            row.state = OutgoingMail.State.SENDING
            row.claimed_at = now
            row.attempts += 1
        OutgoingMail.objects.bulk_update(rows, ["state", "claimed_at", "attempts"])
    return rows


def _record_failure(row: OutgoingMail, exc: Exception) -> None:
    now = timezone.now()
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    row.claimed_at = None
    if _is_transient(exc) and row.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        row.state = OutgoingMail.State.QUEUED
        row.next_attempt_at = now + settings.OUTBOX_RETRY_BASE * (2 ** (row.attempts - 1))
    else:
        row.state = OutgoingMail.State.FAILED
    row.save(update_fields=["state", "last_error", "claimed_at", "next_attempt_at"])
    logger.warning("Mail %s to %s not sent (%s): %s", row.pk, row.recipient, row.state, row.last_error)


def send_due_mail(*, batch_size: int | None = None) -> int:
    """Sends every due queued mail, batch after batch. Returns how many were sent.

    Side effects, in order, per batch: rows marked *sending*; one SMTP connection; each row marked
    *sent*, or queued again with a backoff after a transient error, or *failed*.
    """
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    sent = 0
    tried: set[int] = set()  # a row that failed in this pass waits for a later one
    while rows := _claim(batch_size, tried=tried):
        tried.update(row.pk for row in rows)
        connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
        try:
            for row in rows:
                message = EmailMultiAlternatives(
                    subject=row.subject,
                    body=row.body_text,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[row.recipient],
                    connection=connection,
                    headers={"X-Portal-Mail-Id": str(row.pk)},
                )
                if row.body_html:
                    message.attach_alternative(row.body_html, "text/html")
                try:
                    message.send()
                except Exception as exc:
                    _record_failure(row, exc)
                    connection.close()
                    continue
                row.state = OutgoingMail.State.SENT
                row.sent_at = timezone.now()
                row.claimed_at = None
                row.last_error = ""
                row.save(update_fields=["state", "sent_at", "claimed_at", "last_error"])
                sent += 1
        finally:
            try:
                connection.close()
            except Exception:
                logger.debug("Closing the mail connection failed.", exc_info=True)
    return sent


def sweep_outbox() -> int:
    """The periodic sweep: recovers abandoned claims, then sends what is due."""
    release_stale_claims()
    return send_due_mail()


def retry_failed(queryset) -> int:
    """Puts failed rows back in the queue (from the admin)."""
    return queryset.filter(state=OutgoingMail.State.FAILED).update(
        state=OutgoingMail.State.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
