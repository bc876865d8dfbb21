"""The outbox: every e-mail is queued as a row and sent by a worker that claims it.

``queue_mail`` runs in the caller's transaction, so a mail exists exactly when the change it reports
was committed. A worker claims a batch of due rows (``select_for_update`` with ``skip_locked``, so
concurrent workers never take the same row): each claimed row gets the claim's token and a lease. Then,
row by row, the worker locks the row, checks that it still carries its token, sends it and marks it
*sent* in the same transaction, and renews the lease of the rest of its batch. The sweep queues again the
rows whose lease ran out (their worker died or stalled) but never a locked row, one being sent; a row
queued again has lost its token, so its old holder skips it. See "Mail delivery" in the README for the
guarantee this gives and its one limit.
"""

import hashlib
import logging
import smtplib
import socket
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

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


def recipient_language(address: str) -> str:
    """The language of the account with this address (its profile's, which starts as the one it was created in), else
    the portal's default."""
    language = get_user_model().objects.filter(email__iexact=address).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def render_mail(*, to: str, template: str, context: dict, dedupe_key: str, language: str | None = None) -> Mail:
    """Renders ``<template>_subject.txt``, ``<template>_body.txt`` and, if present, ``_body.html``, in the
    recipient's language: ``language`` when the caller knows it, else ``recipient_language(to)``.

    The outbox keeps the mail as rendered: a later change of the recipient's language changes the next mail only.
    """
    with translation.override(language or recipient_language(to)):
        return _render_mail(to, template, {"SITE_URL": settings.SITE_URL, **context}, dedupe_key)


def _render_mail(to: str, template: str, context: dict, dedupe_key: str) -> Mail:
    subject = render_to_string(f"{template}_subject.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    body_text = render_to_string(f"{template}_body.txt", context)
    try:
        body_html = render_to_string(f"{template}_body.html", context)
    except TemplateDoesNotExist:  # the HTML part is optional
        body_html = ""
    return Mail(to, subject[:255], body_text, body_html, dedupe_key[:255])


def queue_mail(*, to: str, template: str, context: dict, dedupe_key: str, language: str | None = None) -> bool:
    """Queues one mail. Returns False when a mail with that dedupe key already exists.

    Side effects, in order: one ``OutgoingMail`` row (or none for a known key); on commit, the send task.
    """
    mail = render_mail(to=to, template=template, context=context, dedupe_key=dedupe_key, language=language)
    return queue_rendered([mail]) == 1


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
    """Queues again the rows whose claim was not renewed in time: their worker died or stalled.

    A row whose holder is sending it right now is locked by that holder's transaction and skipped here, so
    it can never be handed to a second worker while the first one talks to the relay.
    """
    now = now or timezone.now()
    stale = Q(lease_expires_at__lt=now) | Q(
        lease_expires_at__isnull=True, claimed_at__lt=now - settings.OUTBOX_SENDING_LEASE
    )
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(stale, state=OutgoingMail.State.SENDING)
            .values_list("pk", flat=True)
        )
        return OutgoingMail.objects.filter(pk__in=ids).update(
            state=OutgoingMail.State.QUEUED,
            claimed_at=None,
            claim_token=None,
            lease_expires_at=None,
            next_attempt_at=now,
        )


@dataclass(frozen=True)
class Claim:
    """A batch of rows taken by one worker; ``token`` proves which claim is the current one."""

    token: uuid.UUID
    ids: list[int]


def _claim(batch_size: int, *, tried: set[int]) -> Claim | None:
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(state=OutgoingMail.State.QUEUED, next_attempt_at__lte=now)
            .exclude(pk__in=tried)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return None
        OutgoingMail.objects.filter(pk__in=ids).update(
            state=OutgoingMail.State.SENDING,
            claimed_at=now,
            claim_token=token,
            lease_expires_at=now + settings.OUTBOX_SENDING_LEASE,
            attempts=F("attempts") + 1,
        )
    return Claim(token, ids)


def _renew_lease(claim: Claim) -> None:
    """Extends the claim on the rows of the batch still waiting, so that a long batch keeps them."""
    OutgoingMail.objects.filter(claim_token=claim.token, state=OutgoingMail.State.SENDING).update(
        lease_expires_at=timezone.now() + settings.OUTBOX_SENDING_LEASE
    )


def _record_failure(row: OutgoingMail, exc: Exception) -> None:
    now = timezone.now()
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if _is_transient(exc) and row.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        row.state = OutgoingMail.State.QUEUED
        row.next_attempt_at = now + settings.OUTBOX_RETRY_BASE * (2 ** (row.attempts - 1))
    else:
        row.state = OutgoingMail.State.FAILED
    _release(row, fields=["state", "last_error", "next_attempt_at"])
    logger.warning("Mail %s to %s not sent (%s): %s", row.pk, row.recipient, row.state, row.last_error)


def _release(row: OutgoingMail, *, fields: list[str]) -> None:
    row.claimed_at = row.claim_token = row.lease_expires_at = None
    row.save(update_fields=[*fields, "claimed_at", "claim_token", "lease_expires_at"])


def message_id(row: OutgoingMail) -> str:
    """The same Message-ID on every attempt of a row, so that a relay or a reader can recognise a retry."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<outbox.{row.pk}.{content_key(row.dedupe_key)[:16]}@{host}>"


def _message(row: OutgoingMail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.recipient],
        connection=connection,
        headers={"X-Portal-Mail-Id": str(row.pk), "Message-ID": message_id(row)},
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    return message


def _send_one(claim: Claim, pk: int, connection) -> bool | None:
    """Sends one row of the claim if the claim is still the row's current one.

    The row is locked from the check until it is marked sent, in one transaction around the SMTP exchange:
    the sweep skips locked rows, so no one else can queue it again meanwhile. Returns True when sent,
    False when the attempt failed, None when the row was no longer this claim's (queued again after the
    lease ran out, and maybe sent by another worker since): the old holder leaves it alone.

    The lock is waited for, not skipped: another sweep's claim may hold the row for a moment while it looks for
    queued rows (it locks a row, then sees it is no longer queued), and skipping would leave the row unsent until
    its lease runs out.
    """
    with transaction.atomic():
        row = (
            OutgoingMail.objects.select_for_update()
            .filter(pk=pk, claim_token=claim.token, state=OutgoingMail.State.SENDING)
            .first()
        )
        if row is None:
            return None
        try:
            _message(row, connection).send()
        except Exception as exc:
            _record_failure(row, exc)
            return False
        row.state = OutgoingMail.State.SENT
        row.sent_at = timezone.now()
        row.last_error = ""
        _release(row, fields=["state", "sent_at", "last_error"])
    return True


def send_due_mail(*, batch_size: int | None = None) -> int:
    """Sends every due queued mail, batch after batch. Returns how many were sent.

    Side effects, in order, per batch: rows claimed (state *sending*, a fresh claim token, a lease); one
    SMTP connection; per row, while it is locked and still this claim's: the SMTP send, then at once the
    row marked *sent* (or queued again with a backoff after a transient error, or *failed*); then the lease
    of the rows still waiting renewed. A row whose claim was lost is skipped.
    """
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    sent = 0
    tried: set[int] = set()  # a row that failed in this pass waits for a later one
    while claim := _claim(batch_size, tried=tried):
        tried.update(claim.ids)
        connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
        try:
            for pk in claim.ids:
                outcome = _send_one(claim, pk, connection)
                if outcome is False:
                    connection.close()
                sent += outcome is True
                _renew_lease(claim)
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
