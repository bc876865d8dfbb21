"""Draft TDs sent by e-mail to the secretariat's address, piped by the mail server into ``ingest_td_mail``.

Anyone can write any ``From:``, so a mailed draft joins the queue only once its sender is shown to own the
address: either the receiving mail server vouches for it (the topmost ``Authentication-Results`` header,
from a host named in ``TD_MAIL_TRUSTED_AUTHSERV_IDS``, says DKIM, SPF or DMARC passed for the ``From:``
domain), or the sender follows a one-time link mailed back to that address. Until then the draft is held,
attributed to no one, and invisible in the queue.

One RFC 822 message in, one answer out: received (queued), needs confirmation (held, link mailed), or
refused and why (no attachment, a refused file). Only a message that cannot be answered (no sender, an
automatic reply, our own mail) gets nothing but a log line. Inline parts with a ``Content-ID`` (the images
of a signature) are left out and listed in the draft's note. The same message delivered twice (a mail
server retrying) is kept once: duplicates are recognised by sender and Message-ID together, so another
sender reusing a Message-ID cannot suppress a draft.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from io import BytesIO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from accounts.queries import user_with_address
from notifications.services import queue_mail

from .models import TdDraft
from .td_queue import create_td_draft, new_confirmation_token
from .uploads import IncomingFile, UploadRefused, check_file

logger = logging.getLogger(__name__)


class Outcome:
    QUEUED = "queued"
    HELD = "held"  # waiting for its sender's confirmation
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


def _parts(message: EmailMessage) -> tuple[list[IncomingFile], list[str]]:
    """The attached files, and a description of each inline part with a Content-ID that was left out.

    A file is every leaf part that carries a file name or is marked as an attachment; the body text is not
    one. A part shown inline and referred to by its Content-ID (``image001.png`` in an Outlook signature)
    belongs to the body, not to the draft.
    """
    files, ignored = [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        payload = part.get_payload(decode=True) or b""
        if part.get("Content-ID") and disposition != "attachment":
            ignored.append(
                f"{filename or part.get('Content-ID')} ({part.get_content_type()}, {filesizeformat(len(payload))})"
            )
            continue
        if filename is None and disposition != "attachment":
            continue
        files.append(IncomingFile(name=filename or "", file=BytesIO(payload)))
    return files, ignored


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def _aligned(domain: str, sender_domain: str) -> bool:
    domain = domain.strip().lower().rstrip(".")
    return bool(domain) and (sender_domain == domain or sender_domain.endswith("." + domain))


def authenticated_by_mta(message: EmailMessage, sender: str) -> str:
    """What the trusted receiving server said about the sender's domain, or "" when it vouched for nothing.

    Only the topmost ``Authentication-Results`` header counts (the receiving server adds its own on top of
    whatever the sender wrote), and only when its authserv-id is one of ``TD_MAIL_TRUSTED_AUTHSERV_IDS``.
    It vouches when DMARC passed, or DKIM passed with a signing domain aligned with the ``From:`` domain,
    or SPF passed for an envelope sender in that domain.
    """
    trusted = {host.strip().lower() for host in settings.TD_MAIL_TRUSTED_AUTHSERV_IDS if host.strip()}
    headers = message.get_all("Authentication-Results") or []
    if not trusted or not headers:
        return ""
    text = re.sub(r"\([^)]*\)", " ", str(headers[0]))  # comments carry nothing we may rely on
    authserv, *results = [piece.strip() for piece in text.split(";")]
    authserv_id = authserv.split()[0].lower() if authserv.split() else ""
    if authserv_id not in trusted:
        return ""
    sender_domain = _domain(sender)
    for result in results:
        words = result.split()
        if not words or "=" not in words[0]:
            continue
        method, outcome = (w.lower() for w in words[0].split("=", 1))
        properties = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        properties = {k.lower(): v for k, v in properties.items()}
        if outcome != "pass":
            continue
        aligned = (
            (method == "dmarc" and _aligned(properties.get("header.from", ""), sender_domain))
            or (
                method == "dkim"
                and _aligned(properties.get("header.d", _domain(properties.get("header.i", ""))), sender_domain)
            )
            or (method == "spf" and _aligned(_domain(properties.get("smtp.mailfrom", "")), sender_domain))
        )
        if aligned:
            return f"{authserv_id}: {result}"
    return ""


def _message_key(message: EmailMessage, raw: bytes) -> str:
    message_id = str(message.get("Message-ID", "")).strip()
    return message_id or "sha256:" + hashlib.sha256(raw).hexdigest()


def ingest_td_mail(raw: bytes) -> IngestResult:
    """Handles one message as the mail server delivers it; see the module docstring for the outcomes.

    Side effects, in order: a message already kept from this sender is left alone; otherwise every
    attachment is checked before anything is stored; then either the draft and its files are saved with
    the acknowledgement (sender vouched for) or the confirmation link (not vouched for) in one transaction,
    or the reply saying why nothing was kept is queued in the outbox.
    """
    message = BytesParser(policy=policy.default).parsebytes(raw)
    senders = getaddresses([str(message.get("From") or "")])
    sender = senders[0][1].strip() if senders else ""
    subject = " ".join(str(message.get("Subject", "")).split())
    key = _message_key(message, raw)[:300]

    if not sender or "@" not in sender:
        logger.warning("TD mail without a usable sender ignored (%s).", key)
        return IngestResult(Outcome.IGNORED, reason="no sender")
    if _is_automatic(message, sender):
        logger.info("Automatic mail from %s ignored (%s).", sender, key)
        return IngestResult(Outcome.IGNORED, reason="automatic")
    existing = TdDraft.objects.filter(sender_email__iexact=sender, message_id=key).first()
    if existing is not None:
        return IngestResult(Outcome.DUPLICATE, draft=existing)

    attachments, ignored = _parts(message)
    if not attachments:
        reason = _("The message had no attachment. Attach your draft TD, written on the TD template (.docx).")
        return _answer(sender, subject, key, reason)
    checked = []
    for incoming in attachments:
        try:
            checked.append(check_file(incoming))
        except UploadRefused as refusal:
            return _answer(sender, subject, key, refusal.message)

    vouched = authenticated_by_mta(message, sender)
    note = []
    if vouched:
        note.append(_("Sender authenticated by the receiving mail server (%(result)s).") % {"result": vouched})
    if ignored:
        note.append(_("Inline parts left out (signature images): %(parts)s.") % {"parts": "; ".join(ignored)})
    try:
        draft = create_td_draft(
            checked=checked,
            channel=TdDraft.Channel.MAIL,
            sender_email=sender,
            submitted_by=user_with_address(sender) if vouched else None,
            subject=subject,
            message=_body_text(message),
            message_id=key,
            note="\n".join(note),
            confirmation_token="" if vouched else new_confirmation_token(),
        )
    except IntegrityError:  # the same delivery, handled at the same moment by another process
        return IngestResult(Outcome.DUPLICATE, draft=TdDraft.objects.get(sender_email__iexact=sender, message_id=key))
    return IngestResult(Outcome.QUEUED if vouched else Outcome.HELD, draft=draft)


def _answer(sender: str, subject: str, key: str, reason: str) -> IngestResult:
    with transaction.atomic():
        queue_mail(
            to=sender,
            template="documents/mail/td_mail_refused",
            context={"subject": subject, "reason": reason, "address": parseaddr(settings.DEFAULT_FROM_EMAIL)[1]},
            dedupe_key="documents:td-mail-refused:"
            + hashlib.sha256(f"{sender.lower()}\x1f{key}".encode()).hexdigest()[:40],
        )
    return IngestResult(Outcome.ANSWERED, reason=reason)
