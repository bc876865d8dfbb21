"""Reads used in several places, and the ones that authorize (``access_*`` fetch and check in one call)."""

import datetime
import functools
import re
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404

from accounts.rules import is_secretariat
from meetings.deadlines import end_of_day
from meetings.models import KeyDeadline, Meeting
from meetings.queries import deadline_of, kept_meeting, meeting_visible_to, visible_meeting_filter
from registration.models import MemberEntity
from registration.queries import member_entities
from sg17portal.addresses import address_of
from sg17portal.pagecache import VERSION_KEY, fragments_key, kept, kept_per_person
from sg17portal.paging import MarkStatement, PageMark, mark_statement, page_mark, page_number, page_of

from .models import (
    PUBLIC_KINDS,
    DigestSubscription,
    Document,
    DocumentFile,
    Kind,
    Revision,
    TdDraft,
    TdDraftFile,
    TdType,
    document_name,
)

SEARCH_CONFIG = "english"


def search_vector() -> SearchVector:
    """The text searched: kind and number, title, source, abstract. The GIN index of migration 0002 is on it."""
    return SearchVector("kind", Cast("number", TextField()), "title", "source", "abstract", config=SEARCH_CONFIG)


def entities_to_post_for(user) -> QuerySet[MemberEntity]:
    """The entities ``user`` may post a contribution for: every one for the secretariat, else those that confirmed
    him or her. The form offers these, and ``documents.rules.may_post_for_entity`` refuses any other."""
    if is_secretariat(user):
        return MemberEntity.objects.all()
    return member_entities(user)


def contributions_deadline(meeting: Meeting) -> KeyDeadline | None:
    return _deadline(meeting, KeyDeadline.Kind.CONTRIBUTIONS)


def translation_deadline(meeting: Meeting) -> KeyDeadline | None:
    return _deadline(meeting, KeyDeadline.Kind.TRANSLATION)


def _deadline(meeting: Meeting, kind: str) -> KeyDeadline | None:
    return deadline_of(meeting, kind)


def can_read_restricted(user) -> bool:
    return user.has_perm("documents.view_meeting_documents")


def documents_visible_to(user) -> QuerySet[Document]:
    """Documents ``user`` may read: everything for the secretariat, all but drafts' for members, public ones else."""
    documents = Document.objects.filter(visible_meeting_filter(user, prefix="meeting__"))
    if can_read_restricted(user):
        return documents
    return documents.filter(kind__in=PUBLIC_KINDS)


def _meeting_visible(user, document: Document) -> bool:
    """A document of a meeting the user may not know of (a draft) is unknown too."""
    return document.meeting is None or meeting_visible_to(user, document.meeting)


# What a document's page shows of it besides its own row.
DOCUMENT_RELATED = ("study_group", "study_period", "source_entity", "posted_by")


def access_document(
    user, pk: int, *, perm: str = "documents.view_document", related: tuple[str, ...] = DOCUMENT_RELATED
) -> Document:
    """The document with its meeting (as kept, with its study group and period and its deadlines:
    ``meetings.queries.kept_meeting``) and the ``related`` rows, after checking ``perm`` on it (404, then 403).
    A form that shows only the document's own fields asks for no related row: the rules read their ids."""
    documents = Document.objects.select_related(*related) if related else Document.objects.all()
    document = documents.filter(pk=pk).first()
    if document is not None:
        with_kept_meeting(document)
    if document is None or not _meeting_visible(user, document):
        raise Http404
    if not user.has_perm("documents.view_document", document):
        raise PermissionDenied
    if perm != "documents.view_document" and not user.has_perm(perm, document):
        raise PermissionDenied
    return document


def with_kept_meeting(document: Document) -> Document:
    """``document`` with its meeting as kept (``meetings.queries.kept_meeting``), and the meeting's study group and
    period as the document's when they are the same rows: no query for them."""
    if document.meeting_id is None:
        return document
    document.meeting = meeting = kept_meeting(document.meeting_id)
    if meeting is not None:
        if document.study_group_id == meeting.study_group_id:
            document.study_group = meeting.study_group
        if document.study_period_id == meeting.study_period_id:
            document.study_period = meeting.study_period
    return document


def access_document_file(user, pk: int) -> DocumentFile:
    related = (
        "revision__document__meeting__study_group",
        "revision__document__study_group",
        "revision__document__study_period",
    )
    file = DocumentFile.objects.select_related(*related).filter(pk=pk).first()
    if file is None or not _meeting_visible(user, file.revision.document):
        raise Http404
    document = file.revision.document
    if not user.has_perm("documents.view_document", document):
        raise PermissionDenied
    return file


def access_td_draft(user, pk: int) -> TdDraft:
    """A draft is seen by the secretariat and by the person who sent it; to anyone else it does not exist."""
    if not user.is_authenticated:
        raise PermissionDenied
    draft = TdDraft.objects.select_related("meeting__study_group", "submitted_by", "document").filter(pk=pk).first()
    if draft is None or not user.has_perm("documents.view_td_draft", draft):
        raise Http404
    return draft


def access_td_draft_file(user, pk: int) -> TdDraftFile:
    if not user.is_authenticated:
        raise PermissionDenied
    file = TdDraftFile.objects.select_related("draft").filter(pk=pk).first()
    if file is None or not user.has_perm("documents.view_td_draft", file.draft):
        raise Http404
    return file


# --- Lists -------------------------------------------------------------------------------------------

TYPE_FILTERS = {
    "C": Q(kind=Kind.CONTRIBUTION),
    "TD": Q(kind=Kind.TD),
    "COL": Q(kind=Kind.COLLECTIVE_LETTER),
    **{value: Q(kind=Kind.TD, td_type=value) for value in TdType.values},
}
SORTS = {
    "number": ["kind", "series", "number"],
    "-number": ["kind", "-series", "-number"],
    "title": ["title", "number"],
    "-title": ["-title", "-number"],
    "source": ["source", "kind", "number"],
    "-source": ["-source", "kind", "-number"],
    "date": ["last_revised_at", "id"],
    "-date": ["-last_revised_at", "-id"],
}
NUMBER_QUERY = re.compile(r"^\s*(C|TD|COL)?\s*(\d{1,7})(?:/\w+)?(?:\s*Rev\.?\s*\d+)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentFilters:
    types: tuple[str, ...] = ()
    question: int | None = None
    source: str = ""
    text: str = ""
    since: datetime.date | None = None
    sort: str = "number"


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One line of a document list, ready to print: lists of a thousand rows are built without model instances."""

    pk: int
    kind: str
    name: str
    title: str
    source: str
    questions: str
    date: str
    is_late: bool
    translation_requested: bool
    withdrawn: bool
    url: str


def text_search(documents: QuerySet[Document], text: str) -> QuerySet[Document]:
    """Full-text search on PostgreSQL (``websearch`` syntax); a plain substring match elsewhere.

    A query that is a document number ("123", "C 123", "TD 73/2") also finds that number exactly.
    """
    text = text.strip()
    if not text:
        return documents
    match = NUMBER_QUERY.match(text)
    by_number = Q(pk__in=[])
    if match:
        by_number = Q(number=int(match.group(2)))
        if match.group(1):
            by_number &= Q(kind=match.group(1).upper())
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return documents.annotate(search=search_vector()).filter(Q(search=query) | by_number)
    words = Q(title__icontains=text) | Q(source__icontains=text) | Q(abstract__icontains=text)
    return documents.filter(words | by_number)


_ONE_DAY = datetime.timedelta(days=1)


def filter_meeting_documents(meeting: Meeting, filters: DocumentFilters) -> QuerySet[Document]:
    """A meeting's documents that pass ``filters`` (type, Question, source, "new since" a day, text); unsorted."""
    documents = Document.objects.filter(meeting=meeting)
    if filters.types:
        condition = Q(pk__in=[])
        for value in filters.types:
            condition |= TYPE_FILTERS.get(value, Q(pk__in=[]))
        documents = documents.filter(condition)
    if filters.question:
        documents = documents.filter(questions=filters.question)
    if filters.source:
        documents = documents.filter(source=filters.source)
    if filters.since:
        documents = documents.filter(last_revised_at__gte=end_of_day(filters.since, meeting.time_zone) - _ONE_DAY)
    return text_search(documents, filters.text)


# A meeting has a thousand documents or more: its lists show them this many at a time.
DOCUMENTS_PER_PAGE = 200


# What a row of a meeting's documents list shows, as read from the database: the document's fields and the
# numbers of its Questions (sorted, in the same query).
ROW_FIELDS = (
    "pk",
    "kind",
    "number",
    "scope",
    "series",
    "latest_revision",
    "title",
    "source",
    "is_late",
    "translation_requested",
    "withdrawn_at",
    "last_revised_at",
    "question_numbers",
)


def _listed(meeting: Meeting, filters: DocumentFilters) -> QuerySet[Document]:
    """A meeting's documents that pass ``filters``, in the list's order, with the numbers of their Questions."""
    numbers = Document.questions.through.objects.filter(document_id=OuterRef("pk")).order_by("question__number")
    return (
        filter_meeting_documents(meeting, filters)
        .annotate(question_numbers=ArraySubquery(numbers.values("question__number")))
        .order_by(*SORTS.get(filters.sort, SORTS["number"]), "pk")
    )


def meeting_documents(meeting: Meeting, filters: DocumentFilters, *, page=1, per_page=DOCUMENTS_PER_PAGE):
    """One page of a meeting's documents for its lists, and the page (its number, the count of all that match),
    in one query whatever their number."""
    values, shown = page_of(_listed(meeting, filters), page, per_page, fields=ROW_FIELDS)
    sg_number = meeting.study_group.number
    zone = meeting.zone
    detail = address_of("documents:detail")
    rows = [
        DocumentRow(
            pk=pk,
            kind=kind,
            name=document_name(kind, number, scope, series, revision, sg_number),
            title=title,
            source=source,
            questions=", ".join(f"Q{n}/{sg_number}" for n in questions),
            date=last_revised_at.astimezone(zone).date().isoformat(),
            is_late=is_late,
            translation_requested=translation,
            withdrawn=withdrawn_at is not None,
            url=detail(pk),
        )
        for (
            pk,
            kind,
            number,
            scope,
            series,
            revision,
            title,
            source,
            is_late,
            translation,
            withdrawn_at,
            last_revised_at,
            questions,
        ) in values
    ]
    return rows, shown


def meeting_documents_mark(meeting: Meeting, filters: DocumentFilters, *, page=1) -> PageMark:
    """The mark (``sg17portal.paging.page_mark``) of the page ``meeting_documents`` reads: the page, a digest of
    every value its rows show, and one of the sources the filter form offers (``along["sources"]``). For the plain
    lists only (kinds and a sorting order).

    It is read in one query, and kept under the content version: asked for again before the next change of any
    document, it costs no query, and the first request after a change reads it again."""
    number = page_number(page)
    return kept(
        mark_key(meeting.pk, filters, number),
        (VERSION_KEY,),
        lambda: page_mark(
            functools.partial(_mark_statement, meeting.pk, filters, per_page=DOCUMENTS_PER_PAGE),
            number,
            DOCUMENTS_PER_PAGE,
        ),
        MARK_SECONDS,
    )


def mark_key(meeting_pk: int, filters: DocumentFilters, page) -> str:
    """The key a plain list's mark is kept under: a view that asks for it with ``sg17portal.pagecache.bring_along``
    before it reads the meeting gets both in one round trip."""
    if filters != DocumentFilters(types=filters.types, sort=filters.sort):
        raise ValueError("Only a plain list of documents has a mark.")
    return f"documents:mark:{meeting_pk}:{','.join(filters.types)}:{filters.sort}:{page_number(page)}"


# How long a list's mark is kept at most; any change to a document replaces the version it is kept under.
MARK_SECONDS = 600


# The compiled queries of the plain lists' marks, kept by the process: a list is asked for by meeting, kinds,
# sorting order and page number, each a value of few, and compiling the query takes Django twice as long as
# PostgreSQL takes to run it.
@functools.lru_cache(maxsize=1024)
def _mark_statement(meeting_pk: int, filters: DocumentFilters, number: int, *, per_page: int) -> MarkStatement:
    meeting = Meeting(pk=meeting_pk)  # a plain list's query names the meeting and nothing else of it
    return mark_statement(
        _listed(meeting, filters),
        number,
        per_page,
        fields=ROW_FIELDS,
        along={"sources": _meeting_sources(meeting)},
    )


def question_labels(document_ids: list[int], sg_number: int) -> dict[int, str]:
    """The labels of the Questions of each document ("Q4/17, Q6/17"), in one query."""
    if not document_ids:
        return {}
    through = Document.questions.through
    pairs = through.objects.filter(document_id__in=document_ids).values_list("document_id", "question__number")
    labels: dict[int, list[int]] = {}
    for document_id, number in pairs:
        labels.setdefault(document_id, []).append(number)
    return {pk: ", ".join(f"Q{n}/{sg_number}" for n in sorted(numbers)) for pk, numbers in labels.items()}


def _meeting_sources(meeting: Meeting) -> QuerySet:
    return Document.objects.filter(meeting=meeting).order_by("source").values_list("source", flat=True).distinct()


def meeting_sources(meeting: Meeting) -> list[str]:
    return list(_meeting_sources(meeting))


# The version people's digest subscriptions are kept under: any save or delete of one replaces it (``documents.apps``).
DIGESTS = "digests"


@kept_per_person(DIGESTS)
def is_subscribed(user, meeting: Meeting) -> bool:
    """Whether the person gets the meeting's daily digest (kept per person and meeting: the meeting page and the
    documents list show it)."""
    return user.is_authenticated and DigestSubscription.objects.filter(user=user, meeting=meeting).exists()


# The version the meetings' counts of documents are kept under: a document added, deleted or saved whole replaces
# it; a revision, which writes only these fields of its document, does not (``documents.apps``).
COUNTS = "document-counts"
REVISION_FIELDS = frozenset({"latest_revision", "last_revised_at"})
# How long a meeting's counts are kept at most.
COUNTS_SECONDS = 3600


def meeting_counts(meeting: Meeting) -> dict[str, int]:
    """How many contributions and TDs a meeting has: kept, so that the meeting page, which shows them to members,
    reads them once per new document rather than on every request."""
    return kept(counts_key(meeting.pk), (fragments_key(COUNTS),), lambda: _counts(meeting.pk), COUNTS_SECONDS)


def counts_key(meeting_pk: int) -> str:
    """The key a meeting's counts are kept under: the meeting page asks for it along with the meeting."""
    return f"documents:counts:{meeting_pk}"


def _counts(meeting_pk: int) -> dict[str, int]:
    rows = Document.objects.filter(meeting_id=meeting_pk).values("kind").annotate(n=Count("id")).order_by()
    return {row["kind"]: row["n"] for row in rows}


def latest_files(meeting: Meeting) -> QuerySet[DocumentFile]:
    """The files of the latest revision of each document of the meeting that is not withdrawn, in number order."""
    return (
        DocumentFile.objects.filter(
            revision__document__meeting=meeting,
            revision__document__withdrawn_at__isnull=True,
            revision__number=F("revision__document__latest_revision"),
        )
        .select_related("revision__document")
        .order_by("revision__document__kind", "revision__document__series", "revision__document__number", "id")
    )


def pending_td_drafts() -> QuerySet[TdDraft]:
    return (
        TdDraft.objects.filter(state=TdDraft.State.PENDING)
        .select_related("meeting__study_group", "submitted_by")
        .annotate(file_count=Count("files"))
        .order_by("received_at", "id")
    )


def td_drafts_of(user) -> QuerySet[TdDraft]:
    """The person's draft TDs still waiting for the secretariat, oldest first."""
    if not user.is_authenticated:
        return TdDraft.objects.none()
    return (
        TdDraft.objects.filter(submitted_by=user, state=TdDraft.State.PENDING)
        .select_related("meeting__study_group")
        .order_by("received_at", "id")
    )


def late_postings(*, since: datetime.datetime, limit: int = 20) -> list:
    """Documents and revisions posted late since ``since``, newest first: the secretariat decides what to do."""
    return list(
        Revision.objects.filter(is_late=True, created_at__gte=since)
        .select_related("document__study_group", "document__meeting__study_group")
        .order_by("-created_at", "-id")[:limit]
    )
