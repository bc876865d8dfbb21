"""The secretariat's queue of draft TDs: drafts arrive by mail or upload, then are posted or declined.

A draft is decided once: posting and declining lock the draft row and act only on a pending draft, so two
secretaries acting at once give one decision and one clear "already decided".
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.queries import user_with_address
from meetings.models import Meeting, Question
from notifications.services import queue_mail

from .models import Document, Kind, TdDraft, TdDraftFile, TdType
from .rules import meeting_takes_td_drafts
from .services import DocumentError, NotAllowed, check_questions, create_document
from .uploads import CheckedFile, StoredUpload, check_files, storing


def create_td_draft(
    *,
    checked: list[CheckedFile],
    channel: str,
    sender_email: str,
    submitted_by=None,
    meeting: Meeting | None = None,
    subject: str = "",
    message: str = "",
    message_id: str = "",
    note: str = "",
    confirmation_token: str = "",
    at: datetime.datetime | None = None,
) -> TdDraft:
    """Puts a draft with its checked files in the queue, or, with a ``confirmation_token``, holds it until
    its sender confirms it (see ``confirm_td_draft``).

    Side effects, in order: the files are stored under server-chosen names; the draft and its file rows are
    saved; the sender's acknowledgement is queued in the outbox, or for a held draft the mail with the
    confirmation link.
    """
    with transaction.atomic(), storing() as store:
        stored = [store(c) for c in checked]
        draft = TdDraft.objects.create(
            meeting=meeting,
            channel=channel,
            submitted_by=submitted_by,
            sender_email=sender_email,
            subject=subject.strip()[:500],
            message=message[:20000],
            message_id=message_id[:300],
            note=note,
            state=TdDraft.State.UNCONFIRMED if confirmation_token else TdDraft.State.PENDING,
            confirmation_digest=_digest(confirmation_token) if confirmation_token else "",
            received_at=at or timezone.now(),
        )
        TdDraftFile.objects.bulk_create([TdDraftFile(draft=draft, **s.model_fields()) for s in stored])
        if confirmation_token:
            queue_mail(
                to=sender_email,
                template="documents/mail/td_draft_confirm",
                context={
                    "draft": draft,
                    "files": stored,
                    "days": settings.TD_MAIL_CONFIRMATION_DAYS,
                    "link": settings.SITE_URL
                    + reverse("documents:td_draft_confirm", kwargs={"token": confirmation_token}),
                },
                dedupe_key=f"documents:td-draft-confirm:{draft.pk}",
            )
        else:
            _acknowledge(draft, stored)
        return draft


def closed_to_drafts_message() -> str:
    return _("This meeting is closed: the secretariat no longer takes draft TDs for it.")


def _acknowledge(draft: TdDraft, files) -> None:
    queue_mail(
        to=draft.sender_email,
        template="documents/mail/td_draft_received",
        context={"draft": draft, "files": files},
        dedupe_key=f"documents:td-draft-received:{draft.pk}",
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_confirmation_token() -> str:
    return secrets.token_urlsafe(32)


def unconfirmed_draft(token: str) -> TdDraft | None:
    """The draft a confirmation link stands for, if it is still waiting and the link has not expired."""
    if not token:
        return None
    since = timezone.now() - datetime.timedelta(days=settings.TD_MAIL_CONFIRMATION_DAYS)
    return (
        TdDraft.objects.filter(
            confirmation_digest=_digest(token), state=TdDraft.State.UNCONFIRMED, received_at__gte=since
        )
        .prefetch_related("files")
        .first()
    )


def confirm_td_draft(*, token: str) -> TdDraft:
    """The sender followed the link mailed to the address the draft came from: it joins the queue.

    Side effects, in order: the draft (locked) becomes pending, attributed to the account with that address
    if there is one, the link is spent and the confirmation noted; the acknowledgement is queued.
    Raises ``DocumentError`` for a link that is unknown, spent or expired.
    """
    with transaction.atomic():
        draft = unconfirmed_draft(token)
        if draft is not None:
            draft = TdDraft.objects.select_for_update().filter(pk=draft.pk, state=TdDraft.State.UNCONFIRMED).first()
        if draft is None:
            raise DocumentError(
                _(
                    "This confirmation link is not valid any more: it was used already or it expired. "
                    "Send the message again."
                )
            )
        draft.state = TdDraft.State.PENDING
        draft.submitted_by = user_with_address(draft.sender_email)
        draft.confirmation_digest = ""
        confirmed = _("Sender confirmed by the link mailed to %(address)s on %(when)s.") % {
            "address": draft.sender_email,
            "when": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
        }
        draft.note = "\n".join(line for line in (confirmed, draft.note) if line)
        draft.save(update_fields=["state", "submitted_by", "confirmation_digest", "note"])
        _acknowledge(draft, list(draft.files.all()))
    return draft


def discard_unconfirmed_td_drafts(*, now: datetime.datetime | None = None) -> int:
    """Mailed drafts whose sender never confirmed them within the link's lifetime are deleted with their files.

    Side effects, in order: the drafts and their file rows are deleted; on commit, the stored files.
    """
    since = (now or timezone.now()) - datetime.timedelta(days=settings.TD_MAIL_CONFIRMATION_DAYS)
    with transaction.atomic():
        drafts = TdDraft.objects.select_for_update().filter(state=TdDraft.State.UNCONFIRMED, received_at__lt=since)
        ids = list(drafts.values_list("pk", flat=True))
        names = list(TdDraftFile.objects.filter(draft_id__in=ids).values_list("file", flat=True))
        TdDraft.objects.filter(pk__in=ids).delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return len(ids)


def submit_td_draft(meeting: Meeting, *, files, by, subject: str = "", message: str = "") -> TdDraft:
    """A member uploads a draft TD for a meeting; it goes to the secretariat's queue.

    The button's rule decides (``documents.submit_td_draft``): a meeting that takes no drafts (closed) refuses with
    ``DocumentError``, someone who is no member with ``NotAllowed``; nothing is stored.

    Side effects, in order: every file is checked (a refusal stops everything); then as ``create_td_draft``.
    """
    if not by.has_perm("documents.submit_td_draft", meeting):
        if not meeting_takes_td_drafts.test(by, meeting):
            raise DocumentError(closed_to_drafts_message())
        raise NotAllowed(_("Contributions and TDs are for members: people confirmed by a member entity."))
    checked = check_files(files)
    return create_td_draft(
        checked=checked,
        channel=TdDraft.Channel.UPLOAD,
        sender_email=by.email,
        submitted_by=by,
        meeting=meeting,
        subject=subject,
        message=message,
    )


def _lock_pending(draft: TdDraft) -> TdDraft:
    draft = TdDraft.objects.select_for_update(of=("self",)).select_related("document").get(pk=draft.pk)
    if draft.state == TdDraft.State.POSTED:
        raise DocumentError(_("This draft was already posted as %(name)s.") % {"name": draft.document or _("a TD")})
    if draft.state == TdDraft.State.DECLINED:
        raise DocumentError(_("This draft was already declined."))
    if draft.state == TdDraft.State.UNCONFIRMED:
        raise DocumentError(_("This draft waits for its sender's confirmation; it is not in the queue yet."))
    return draft


def post_td_from_draft(
    draft: TdDraft,
    *,
    meeting: Meeting,
    title: str,
    source: str,
    scope: str,
    by,
    td_type: str = TdType.GENERAL,
    questions: Iterable[Question] = (),
    abstract: str = "",
    at: datetime.datetime | None = None,
) -> Document:
    """The secretariat numbers and posts a draft from the queue as a TD, with the draft's files.

    Side effects, in order: the draft row is locked and must still be pending; the TD's number is taken under
    its series' row lock; the document, revision 0 and its file rows (the draft's stored files) are saved;
    the draft is marked posted; the sender is told the TD's number by mail.
    """
    if not by.has_perm("documents.manage_td_queue"):
        raise NotAllowed(_("Only the secretariat posts TDs."))
    if not scope:
        raise DocumentError(_("A TD needs a scope (PLEN, GEN or a working party)."))
    at = at or timezone.now()
    with transaction.atomic():
        draft = _lock_pending(draft)
        stored = [
            StoredUpload(
                storage_name=f.file.name,
                original_name=f.original_name,
                extension=f.extension,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
            )
            for f in draft.files.all()
        ]
        document = create_document(
            meeting=meeting,
            kind=Kind.TD,
            title=title,
            source=source,
            questions=check_questions(meeting, questions),
            abstract=abstract,
            scope=scope,
            td_type=td_type,
            stored=stored,
            by=by,
            at=at,
        )
        draft.state = TdDraft.State.POSTED
        draft.meeting = meeting
        draft.document = document
        draft.decided_by = by
        draft.decided_at = at
        draft.save(update_fields=["state", "meeting", "document", "decided_by", "decided_at"])
        queue_mail(
            to=draft.sender_email,
            template="documents/mail/td_draft_posted",
            context={"draft": draft, "document": document, "url": settings.SITE_URL + document.get_absolute_url()},
            dedupe_key=f"documents:td-draft-posted:{draft.pk}",
        )
        return document


def decline_td_draft(draft: TdDraft, *, reason: str, by, at: datetime.datetime | None = None) -> TdDraft:
    """The secretariat declines a draft, saying why.

    Side effects, in order: the draft row is locked and must still be pending; it is marked declined with the
    reason; the sender gets the reason by mail.
    """
    if not by.has_perm("documents.manage_td_queue"):
        raise NotAllowed(_("Only the secretariat handles the TD queue."))
    if not reason.strip():
        raise DocumentError(_("Say why the draft is declined; the sender will read it."))
    with transaction.atomic():
        draft = _lock_pending(draft)
        draft.state = TdDraft.State.DECLINED
        draft.reason = reason.strip()[:1000]
        draft.decided_by = by
        draft.decided_at = at or timezone.now()
        draft.save(update_fields=["state", "reason", "decided_by", "decided_at"])
        queue_mail(
            to=draft.sender_email,
            template="documents/mail/td_draft_declined",
            context={"draft": draft},
            dedupe_key=f"documents:td-draft-declined:{draft.pk}",
        )
        return draft
