"""A meeting's documents (filters, full-text search) and one document with its revisions and files."""

from django.db.models import F, Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from documents.models import Document, DocumentFile, Revision
from documents.queries import TYPE_FILTERS, DocumentFilters, access_document, access_meeting_documents
from documents.queries import filter_meeting_documents as filter_documents
from meetings.models import Question

from .. import serializers as s
from ..models import Scope
from ..pagination import Cursor
from .base import ApiView

_LATEST_FILES = Prefetch(
    "revisions",
    queryset=Revision.objects.filter(number=F("document__latest_revision")).prefetch_related(
        Prefetch("files", queryset=DocumentFile.objects.order_by("id"))
    ),
)


class DocumentFilter(serializers.Serializer):
    kind = serializers.MultipleChoiceField(
        choices=sorted(TYPE_FILTERS),
        required=False,
        help_text="C, TD, COL, or a type of TD (general, ls_in, ls_out, report); repeat for several.",
    )
    question = serializers.IntegerField(required=False, min_value=1, help_text="A Question's number, e.g. 4.")
    source = serializers.CharField(required=False, max_length=300, help_text="The exact source, e.g. an entity.")
    since = serializers.DateField(
        required=False, help_text="Posted or revised on or after this day (in the meeting's time zone)."
    )
    q = serializers.CharField(required=False, max_length=200, help_text="Full-text search; or a number (“C 12”).")


class MeetingDocumentList(ApiView):
    """The documents of a meeting, for members (collective letters are public: see the letter endpoint)."""

    read_scope = Scope.DOCUMENTS_READ
    serializer_class = s.DocumentSerializer
    pagination_class = Cursor
    queryset = Document.objects.none()

    @extend_schema(
        operation_id="meetings_documents_list",
        parameters=[
            OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The meeting's id."),
            DocumentFilter,
        ],
        responses=s.DocumentSerializer(many=True),
    )
    def get(self, request, pk):
        meeting = access_meeting_documents(request.user, pk)
        query = DocumentFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        question = None
        if "question" in f:
            question = Question.objects.filter(study_group=meeting.study_group, number=f["question"]).first()
            if question is None:
                raise serializers.ValidationError({"question": ["The meeting's study group has no such Question."]})
        filters = DocumentFilters(
            types=tuple(sorted(f.get("kind", ()))),
            question=question.pk if question else None,
            source=f.get("source", ""),
            text=f.get("q", ""),
            since=f.get("since"),
        )
        documents = (
            filter_documents(meeting, filters)
            .select_related("study_group")
            .prefetch_related("questions", _LATEST_FILES)
        )
        page = self.paginate_queryset(documents)
        self.note_changed(meeting.updated_at, *(d.last_revised_at for d in page))
        return self.get_paginated_response(s.document_rows(page))


class DocumentDetail(ApiView):
    """A document with every revision and its files; the download links pass the site's access check."""

    read_scope = Scope.DOCUMENTS_READ
    allows_anonymous = True  # collective letters are public
    serializer_class = s.DocumentDetailSerializer
    queryset = Document.objects.none()

    @extend_schema(parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The document's id.")])
    def get(self, request, pk):
        document = access_document(request.user, pk)
        prefetch_related_objects(
            [document], "questions", Prefetch("revisions__files", queryset=DocumentFile.objects.order_by("id"))
        )
        for revision in document.revisions.all():
            revision.document = document
        self.note_changed(document.last_revised_at, document.withdrawn_at)
        return Response(self.get_serializer(document).data)
