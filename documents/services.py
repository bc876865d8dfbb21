"""Every write on documents that is a workflow: posting, revising, withdrawing.

For the apps built on documents (the agenda issues its versions as TDs), the interface is:

    post_td(meeting, *, title, source, scope, files, by, questions=(), td_type=TdType.GENERAL, abstract="")
        -> Document          numbered at once; ``document.display_name`` is "TD 230 (PLEN)" or "TD 73/2"
    add_revision(document, *, files, by, note="")
        -> Revision          the next revision; ``revision.display_name`` is "TD 230 Rev.1 (PLEN)"

``files`` is a list of file objects that have a name: Django ``UploadedFile``s, ``ContentFile(data,
name="agenda.docx")`` or ``documents.uploads.IncomingFile(name, stream)``. Every file is checked by
content before anything is written; a refused file raises ``documents.uploads.UploadRefused`` and
nothing is saved. A rule broken by the request (a deadline, a right) raises ``DocumentError`` with a
message for the person who made it. Each function runs in one transaction.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import KeyDeadline, Meeting, Question
from notifications.events import DOCUMENT_POSTED, DOCUMENT_REVISED, publish_event
from notifications.services import queue_mail
from registration.models import MemberEntity
from sg17portal import errors
from sg17portal.dates import format_date
from sg17portal.errors import PortalError

from . import numbering, queries
from . import rules as document_rules
from .models import DigestSubscription, Document, DocumentFile, Kind, Revision, TdType
from .uploads import StoredUpload, check_files, storing

FORMAT_CODES = {"docx": "MSW", "doc": "MSW", "xlsx": "MSX", "pptx": "MSP", "pdf": "PDF", "zip": "ZIP", "txt": "TXT"}


class DocumentError(PortalError):
    """A request that breaks a rule of the documents; ``message`` is shown to the person who made it."""


class DeadlinePassed(DocumentError, errors.DeadlinePassed):
    pass


class NotAllowed(DocumentError, errors.NotAllowed):
    pass


def deadline_message(deadline: KeyDeadline, *, what: str) -> str:
    """The refusal that names the deadline, its day and the meeting's zone, then says what no longer works."""
    return _("The deadline “%(deadline)s” of this meeting was %(day)s (until midnight, %(zone)s time); %(what)s") % {
        "deadline": deadline.get_kind_display(),
        "day": format_date(deadline.day),
        "zone": deadline.meeting.time_zone,
        "what": what,
    }


def canonical_file_name(document: Document, revision: int, extension: str, ordinal: int = 1) -> str:
    """The name a file is served under, as ITU names them: "T17-SG17-C-0123!R1!MSW-E.docx"."""
    period = f"T{document.study_period.first_year % 100:02d}"
    stem = f"{period}-SG{document.study_group.number:02d}-{document.kind}-{document.number:04d}"
    if document.series:
        stem += f"-{document.series}"
    if revision:
        stem += f"!R{revision}"
    extra = f"-{ordinal}" if ordinal > 1 else ""
    return f"{stem}!{FORMAT_CODES.get(extension, extension.upper())}-E{extra}.{extension}"


def _add_files(revision: Revision, stored: list[StoredUpload]) -> None:
    seen: dict[str, int] = {}
    rows = []
    for upload in stored:
        code = FORMAT_CODES.get(upload.extension, upload.extension)
        seen[code] = seen.get(code, 0) + 1
        name = canonical_file_name(revision.document, revision.number, upload.extension, seen[code])
        rows.append(DocumentFile(revision=revision, name=name, **upload.model_fields()))
    DocumentFile.objects.bulk_create(rows)


def check_questions(meeting: Meeting, questions: Iterable[Question]) -> list[Question]:
    questions = list(questions)
    if any(q.study_group_id != meeting.study_group_id for q in questions):
        raise DocumentError(_("A Question of another study group was chosen."))
    return questions


def _queue_receipt(document: Document, revision: Revision, by) -> None:
    if not by or not by.email:
        return
    queue_mail(
        to=by.email,
        language=by.language,
        template="documents/mail/receipt",
        context={
            "document": document,
            "revision": revision,
            "meeting": document.meeting,
            "url": settings.SITE_URL + document.get_absolute_url(),
        },
        dedupe_key=f"documents:receipt:{document.pk}:{revision.number}",
    )


NOT_REVALIDATED = ["questions", "study_group", "study_period", "meeting", "source_entity", "posted_by"]


def create_document(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    source: str,
    stored: list[StoredUpload],
    by,
    at: datetime.datetime,
    source_entity: MemberEntity | None = None,
    questions: Iterable[Question] = (),
    abstract: str = "",
    scope: str = "",
    td_type: str = "",
    translation_requested: bool = False,
    is_late: bool = False,
) -> Document:
    """Numbers and saves a document with its original revision and its (already stored) files.

    Runs inside the caller's transaction. Side effects, in order: a number is taken from the document's series
    under a row lock; the document, its revision 0 and its file rows are saved; the poster's receipt is queued;
    the posting is published as an event (webhooks).
    """
    series = numbering.series_for(kind, meeting.study_period, scope)
    number = numbering.allocate_number(
        study_group=meeting.study_group, study_period=meeting.study_period, kind=kind, series=series
    )
    document = Document(
        study_group=meeting.study_group,
        study_period=meeting.study_period,
        meeting=meeting,
        kind=kind,
        td_type=td_type,
        number=number,
        scope=scope,
        series=series,
        title=title.strip(),
        source=source.strip(),
        source_entity=source_entity,
        abstract=abstract.strip(),
        translation_requested=translation_requested,
        is_late=is_late,
        posted_by=by,
        posted_at=at,
        last_revised_at=at,
    )
    # The related rows are the objects the caller holds (and the database checks the keys again): validating them
    # would read each one back, five queries on every posting.
    document.full_clean(exclude=NOT_REVALIDATED, validate_unique=False, validate_constraints=False)
    document.save()
    if questions := list(questions):  # a new document has none to replace
        document.questions.add(*questions)
    revision = Revision.objects.create(document=document, number=0, created_at=at, created_by=by, is_late=is_late)
    _add_files(revision, stored)
    _queue_receipt(document, revision, by)
    _publish(DOCUMENT_POSTED, document, revision)
    return document


def _publish(event_type: str, document: Document, revision: Revision) -> None:
    publish_event(
        event_type=event_type,
        event_id=f"{event_type}:{document.pk}:{revision.number}",
        data={
            "document_id": document.pk,
            "meeting_id": document.meeting_id,
            "kind": document.kind,
            "name": document.revision_name(revision.number),
            "revision": revision.number,
        },
        at=revision.created_at,
    )


def post_contribution(
    meeting: Meeting,
    *,
    entity: MemberEntity,
    title: str,
    files,
    by,
    questions: Iterable[Question] = (),
    abstract: str = "",
    translation_requested: bool = False,
    at: datetime.datetime | None = None,
) -> Document:
    """Direct Document Posting: a member posts a contribution of one of his or her entities.

    ``at`` is the instant of posting (now; demo data gives another). Side effects, in order: every file is
    checked (a refusal stops everything); the contributions deadline is checked: a member is refused after
    the end of its day in the meeting's zone, the secretariat's posting is accepted and marked late; the
    translation deadline likewise for a translation request; the files are stored under server-chosen
    names; the number is taken under the series' row lock; the document, revision 0 and file rows are saved;
    the poster's receipt with the number is queued in the outbox.
    """
    checked = check_files(files)
    at = at or timezone.now()
    with transaction.atomic():
        if not document_rules.may_post_for_entity(by, entity):
            raise NotAllowed(_("You can post contributions only for an entity of which you are a member."))
        questions = check_questions(meeting, questions)
        if not document_rules.may_post_contribution(by, meeting, at=at):
            raise DeadlinePassed(
                deadline_message(
                    queries.contributions_deadline(meeting),
                    what=_(
                        "contributions can no longer be posted. Send yours to the secretariat, who may accept it late."
                    ),
                )
            )
        is_late = not document_rules.contributions_open(meeting, at)
        if translation_requested and not document_rules.may_request_translation(by, meeting, at=at):
            translation = queries.translation_deadline(meeting)
            raise DeadlinePassed(deadline_message(translation, what=_("translation can no longer be requested.")))
        with storing() as store:
            stored = [store(c) for c in checked]
            return create_document(
                meeting=meeting,
                kind=Kind.CONTRIBUTION,
                title=title,
                source=entity.name,
                source_entity=entity,
                questions=questions,
                abstract=abstract,
                translation_requested=translation_requested,
                is_late=is_late,
                stored=stored,
                by=by,
                at=at,
            )


def post_td(
    meeting: Meeting,
    *,
    title: str,
    source: str,
    scope: str,
    files,
    by,
    questions: Iterable[Question] = (),
    td_type: str = TdType.GENERAL,
    abstract: str = "",
    at: datetime.datetime | None = None,
) -> Document:
    """The secretariat posts a TD (a liaison statement or a report is a TD too).

    Side effects, in order: every file is checked; the files are stored; the TD's number is taken from its
    series (the single series or the scope's, as the study period says) under a row lock; the document,
    revision 0 and file rows are saved; the receipt is queued for ``by``.
    """
    checked = check_files(files)
    if not by.has_perm("documents.post_td"):
        raise NotAllowed(_("Only the secretariat posts TDs; send your draft to the TD queue."))
    if not scope:
        raise DocumentError(_("A TD needs a scope (PLEN, GEN or a working party)."))
    with transaction.atomic(), storing() as store:
        stored = [store(c) for c in checked]
        return create_document(
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
            at=at or timezone.now(),
        )


def post_collective_letter(meeting: Meeting, *, title: str, files, by, at: datetime.datetime | None = None) -> Document:
    """The secretariat posts a collective letter of the meeting; anyone may read it.

    Side effects, in order: the files are checked and stored; a number is taken from the study group's
    series of letters; the document, revision 0 and file rows are saved; the receipt is queued for ``by``.
    """
    checked = check_files(files)
    if not by.has_perm("documents.post_collective_letter"):
        raise NotAllowed(_("Only the secretariat posts collective letters."))
    with transaction.atomic(), storing() as store:
        stored = [store(c) for c in checked]
        return create_document(
            meeting=meeting,
            kind=Kind.COLLECTIVE_LETTER,
            title=title,
            source="TSB",
            stored=stored,
            by=by,
            at=at or timezone.now(),
        )


def add_revision(document: Document, *, files, by, note: str = "", at: datetime.datetime | None = None) -> Revision:
    """Adds the next revision (Rev.1, Rev.2 …) with its files.

    Members of the contribution's entity may revise it until the contributions deadline; after it, and for
    every other kind, only the secretariat (a revision after the deadline is marked late). Side effects, in
    order: every file is checked; the document row is locked; the rights and the deadline are checked; the
    files are stored; the revision and file rows are saved and the document's latest revision moved on;
    the receipt is queued for ``by``; the revision is published as an event (webhooks).
    """
    checked = check_files(files)
    at = at or timezone.now()
    with transaction.atomic():
        # The row locked, alone; the meeting as kept, with its deadlines, as a posting checks them
        # (``post_contribution`` is given the kept meeting): any change to them replaces it at once.
        document = queries.with_kept_meeting(Document.objects.select_for_update().get(pk=document.pk))
        if document.is_withdrawn:
            raise DocumentError(_("%(name)s has been withdrawn; it cannot be revised.") % {"name": document.base_name})
        if not by.has_perm("documents.revise_document", document):
            raise NotAllowed(_("You may not revise %(name)s.") % {"name": document.base_name})
        if not document_rules.may_revise_at(by, document, at=at):
            deadline = queries.contributions_deadline(document.meeting)
            raise DeadlinePassed(deadline_message(deadline, what=_("only the secretariat can add revisions now.")))
        is_late = (
            document.is_contribution
            and document.meeting is not None
            and not document_rules.contributions_open(document.meeting, at)
        )
        with storing() as store:
            stored = [store(c) for c in checked]
            revision = Revision.objects.create(
                document=document,
                number=document.latest_revision + 1,
                created_at=at,
                created_by=by,
                note=note.strip(),
                is_late=is_late,
            )
            _add_files(revision, stored)
            document.latest_revision = revision.number
            document.last_revised_at = at
            document.save(update_fields=["latest_revision", "last_revised_at"])
            _queue_receipt(document, revision, by)
            _publish(DOCUMENT_REVISED, document, revision)
            return revision


def withdraw_document(document: Document, *, by, reason: str = "", at: datetime.datetime | None = None) -> Document:
    """The poster or the secretariat withdraws a document; it keeps its number, which is never given again.

    Side effects, in order: the document row is locked; if it is not withdrawn yet, the withdrawal (when,
    by whom, why) is saved.
    """
    with transaction.atomic():
        document = Document.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=document.pk)
        if document.is_withdrawn:
            raise DocumentError(_("%(name)s was already withdrawn.") % {"name": document.base_name})
        if not by.has_perm("documents.withdraw_document", document):
            raise NotAllowed(
                _("Only the poster or the secretariat may withdraw %(name)s.") % {"name": document.base_name}
            )
        document.withdrawn_at = at or timezone.now()
        document.withdrawn_by = by
        document.withdrawal_reason = reason.strip()[:500]
        document.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        return document


def subscribe_to_digest(meeting: Meeting, *, user) -> DigestSubscription:
    """Side effects: one subscription row for the person and the meeting, if there was none."""
    subscription, _created = DigestSubscription.objects.get_or_create(user=user, meeting=meeting)
    return subscription


def unsubscribe_from_digest(meeting: Meeting, *, user) -> None:
    """Side effects: the person's subscription to the meeting's digest is deleted."""
    DigestSubscription.objects.filter(user=user, meeting=meeting).delete()
