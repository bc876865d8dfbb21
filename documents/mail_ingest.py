"""Draft TDs sent by e-mail to the secretariat's address, piped by the mail server into ``ingest_td_mail``.

One RFC 822 message in, one of three outcomes: a draft in the queue (its attachments checked and stored,
its sender linked to the portal user with that address, an acknowledgement mailed back); or a reply
saying why nothing was queued (no attachment, or a refused file, named with the reason); or, for a
message that cannot be answered (no sender, an automatic reply, our own mail), nothing but a log line.
The same message delivered twice (a mail server retrying) is queued once.
"""

import hashlib
import logging
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from io import BytesIO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from notifications.services import queue_mail

from .models import TdDraft
from .td_queue import create_td_draft
from .uploads import IncomingFile, UploadRefused, check_file

logger = logging.getLogger(__name__)


class Outcome:
    QUEUED = "queued"
    DUPLICATE = "duplicate"
    ANSWERED = "answered"
    IGNORED = "ignored"


@dataclass(frozen=True)
class IngestResult:
    outcome: str
    draft: TdDraft | None = None
    reason: str = ""


def _own_addresses() -> set[str]:
    return {parseaddr(a)[1].lower() for a in (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL) if a}


def _is_automatic(message: EmailMessage, sender: str) -> bool:
    """Automatic replies and list traffic are never answered, so that two robots cannot talk forever."""
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto_submitted != "no"
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or bool(message.get("List-Id"))
        or sender.lower() in _own_addresses()
        or sender.lower().startswith(("mailer-daemon@", "postmaster@", "no-reply@", "noreply@"))
    )


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, ValueError):
        return ""


def _attachments(message: EmailMessage) -> list[IncomingFile]:
    """Every leaf part that carries a file name or is marked as an attachment; the body text is not one."""
    files = []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if filename is None and part.get_content_disposition() != "attachment":
            continue
        payload = part.get_payload(decode=True) or b""
        files.append(IncomingFile(name=filename or "", file=BytesIO(payload)))
    return files


def _sender_user(address: str):
    """The portal user with this address, when there is exactly one (the address may be a verified secondary)."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is not None:
        return user
    link = EmailAddress.objects.filter(email__iexact=address, verified=True, user__is_active=True).first()
    return link.user if link else None


def _message_key(message: EmailMessage, raw: bytes) -> str:
    message_id = str(message.get("Message-ID", "")).strip()
    return message_id or "sha256:" + hashlib.sha256(raw).hexdigest()


def ingest_td_mail(raw: bytes) -> IngestResult:
    """Handles one message as the mail server delivers it; see the module docstring for the outcomes.

    Side effects, in order: a message already queued is left alone; otherwise every attachment is checked
    before anything is stored; then either the draft, its files and the acknowledgement are saved in one
    transaction, or the reply saying why is queued in the outbox.
    """
    message = BytesParser(policy=policy.default).parsebytes(raw)
    senders = getaddresses([str(message.get("From") or "")])
    sender = senders[0][1].strip() if senders else ""
    subject = " ".join(str(message.get("Subject", "")).split())
    key = _message_key(message, raw)

    if not sender or "@" not in sender:
        logger.warning("TD mail without a usable sender ignored (%s).", key)
        return IngestResult(Outcome.IGNORED, reason="no sender")
    if _is_automatic(message, sender):
        logger.info("Automatic mail from %s ignored (%s).", sender, key)
        return IngestResult(Outcome.IGNORED, reason="automatic")
    existing = TdDraft.objects.filter(message_id=key[:300]).first()
    if existing is not None:
        return IngestResult(Outcome.DUPLICATE, draft=existing)

    attachments = _attachments(message)
    if not attachments:
        reason = _("The message had no attachment. Attach your draft TD, written on the TD template (.docx).")
        return _answer(sender, subject, key, reason)
    checked = []
    for incoming in attachments:
        try:
            checked.append(check_file(incoming))
        except UploadRefused as refusal:
            return _answer(sender, subject, key, refusal.message)

    with transaction.atomic():
        draft = create_td_draft(
            checked=checked,
            channel=TdDraft.Channel.MAIL,
            sender_email=sender,
            submitted_by=_sender_user(sender),
            subject=subject,
            message=_body_text(message),
            message_id=key,
        )
    return IngestResult(Outcome.QUEUED, draft=draft)


def _answer(sender: str, subject: str, key: str, reason: str) -> IngestResult:
    with transaction.atomic():
        queue_mail(
            to=sender,
            template="documents/mail/td_mail_refused",
            context={"subject": subject, "reason": reason, "address": parseaddr(settings.DEFAULT_FROM_EMAIL)[1]},
            dedupe_key="documents:td-mail-refused:" + hashlib.sha256(key.encode()).hexdigest()[:40],
        )
    return IngestResult(Outcome.ANSWERED, reason=reason)
