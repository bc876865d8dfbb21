"""What the API answers with. Times are ISO 8601 in UTC; where a meeting's zone matters the local time is given
too, with the zone's name."""

import datetime

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.models import Session
from documents.models import Document, DocumentFile, Kind, Revision, TdType
from meetings.models import KeyDeadline, Meeting, Question, SideEvent, StudyGroup
from notifications.events import EVENT_TYPES
from registration.models import Registration
from sg17portal.addresses import address_of

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def absolute(url: str) -> str:
    return settings.SITE_URL + url


class StudyGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = StudyGroup
        fields = ["id", "number", "title", "chair", "chair_country", "email", "web"]


class QuestionSerializer(serializers.ModelSerializer):
    study_group = serializers.IntegerField(source="study_group.number", read_only=True)
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Question
        fields = ["id", "study_group", "number", "label", "title"]


@extend_schema_field(
    {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "description": "A local time in the meeting's zone."}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time of the meeting's zone ("10:00"): no offset, so not an RFC 3339 time."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingSerializer(serializers.ModelSerializer):
    session_start = LocalTimeField(read_only=True)
    session_end = LocalTimeField(read_only=True)
    title = serializers.CharField(source="display_title", read_only=True)
    study_group = serializers.IntegerField(source="study_group.number", read_only=True)
    study_period = serializers.CharField(source="study_period.__str__", read_only=True)
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "page",
            "title",
            "study_group",
            "study_period",
            "format",
            "state",
            "first_day",
            "last_day",
            "session_start",
            "session_end",
            "time_zone",
            "venue",
            "remote_tool",
            "working_language",
            "interpretation",
            "captioning",
            "letter_reference",
            "letter_date",
            "announced_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, meeting) -> str:
        return absolute(reverse("api:meeting-detail", kwargs={"pk": meeting.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, meeting) -> str:
        return absolute(meeting.get_absolute_url())


class KeyDeadlineSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    closes_at = serializers.SerializerMethodField(help_text="The first instant after the deadline's day, in UTC.")
    closes_at_local = serializers.SerializerMethodField(help_text="The same instant in the meeting's time zone.")
    time_zone = serializers.CharField(source="meeting.time_zone", read_only=True)

    class Meta:
        model = KeyDeadline
        fields = ["kind", "kind_label", "day", "closes_at", "closes_at_local", "time_zone", "is_manual", "reason"]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_closes_at(self, deadline) -> str:
        return deadline.closes_at.astimezone(datetime.UTC).isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_closes_at_local(self, deadline) -> str:
        return deadline.closes_at.astimezone(deadline.meeting.zone).isoformat()


class SideEventSerializer(serializers.ModelSerializer):
    starts_at_local = serializers.SerializerMethodField()
    ends_at_local = serializers.SerializerMethodField()
    time_zone = serializers.CharField(source="meeting.time_zone", read_only=True)

    class Meta:
        model = SideEvent
        fields = [
            "id",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "starts_at_local",
            "ends_at_local",
            "time_zone",
            "registration_url",
        ]

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_starts_at_local(self, event) -> str:
        return event.starts_at.astimezone(event.meeting.zone).isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at_local(self, event) -> str:
        return event.ends_at.astimezone(event.meeting.zone).isoformat()


class LetterDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()


class ChangeSerializer(serializers.Serializer):
    what = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class AddendumSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Addendum N to the letter.")
    reference = serializers.CharField()
    issued_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    subject = serializers.CharField()
    changes = ChangeSerializer(many=True, help_text="What the addendum changed, as it states it.")
    page = serializers.URLField()
    pdf = serializers.URLField()


class CollectiveLetterSerializer(serializers.Serializer):
    reference = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    contact_reference = serializers.CharField()
    signatory = serializers.CharField()
    signatory_title = serializers.CharField()
    page = serializers.URLField()
    pdf = serializers.URLField()
    documents = LetterDocumentSerializer(many=True, help_text="Collective letters of the meeting posted as documents.")
    addenda = AddendumSerializer(many=True, help_text="The addenda issued when the letter's facts changed.")


# --- Documents -------------------------------------------------------------------------------------


class DocumentFileSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="The file behind the site's access check: the same session or token is needed."
    )

    class Meta:
        model = DocumentFile
        fields = ["id", "name", "original_name", "size", "sha256", "content_type", "extension", "download_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, file) -> str:
        return absolute(file.get_absolute_url())


class RevisionSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    files = DocumentFileSerializer(many=True, read_only=True)

    class Meta:
        model = Revision
        fields = ["number", "name", "created_at", "note", "is_late", "files"]

    def get_name(self, revision) -> str:
        return revision.document.revision_name(revision.number)


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    td_type = serializers.ChoiceField(choices=[("", "")] + TdType.choices, read_only=True)
    questions = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField(help_text="The files of the latest revision.")

    class Meta:
        model = Document
        fields = [
            "id",
            "url",
            "page",
            "meeting",
            "kind",
            "td_type",
            "number",
            "scope",
            "name",
            "title",
            "source",
            "questions",
            "abstract",
            "translation_requested",
            "is_late",
            "posted_at",
            "latest_revision",
            "last_revised_at",
            "withdrawn_at",
            "files",
        ]

    def get_questions(self, document) -> list[str]:
        return [f"Q{q.number}/{document.study_group.number}" for q in document.questions.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document) -> str:
        return absolute(reverse("api:document-detail", kwargs={"pk": document.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, document) -> str:
        return absolute(document.get_absolute_url())

    @extend_schema_field(DocumentFileSerializer(many=True))
    def get_files(self, document):
        latest = next((r for r in document.revisions.all() if r.number == document.latest_revision), None)
        return DocumentFileSerializer(latest.files.all() if latest else [], many=True).data


class DocumentDetailSerializer(DocumentSerializer):
    revisions = RevisionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "revisions"]


# --- Agenda and time plan -------------------------------------------------------------------------


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    note = serializers.CharField()
    url = serializers.URLField()


class AgendaItemSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    number = serializers.CharField(help_text='The item\'s number from its place in the tree: "2", "2 a)".')
    parent_uid = serializers.UUIDField(allow_null=True)
    depth = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    working_party = serializers.CharField()
    questions = serializers.ListField(child=serializers.CharField())
    documents = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the documents it treats.")


class AgendaVersionSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    note = serializers.CharField()
    issued_as = serializers.CharField(allow_null=True, help_text="The TD the version was issued as, if any.")
    items = AgendaItemSerializer(many=True)


class SessionSerializer(serializers.ModelSerializer):
    starts_at_local = serializers.SerializerMethodField()
    ends_at_local = serializers.SerializerMethodField()
    time_zone = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()
    join_url = serializers.SerializerMethodField(help_text="The remote-participation link, for approved registrants.")

    class Meta:
        model = Session
        fields = [
            "uid",
            "title",
            "starts_at",
            "ends_at",
            "starts_at_local",
            "ends_at_local",
            "time_zone",
            "room",
            "captioning",
            "remote_participation",
            "questions",
            "agenda_item_uids",
            "sequence",
            "join_url",
        ]

    def _zone(self):
        return self.context["meeting"].zone

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_starts_at_local(self, session) -> str:
        return session.starts_at.astimezone(self._zone()).isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_ends_at_local(self, session) -> str:
        return session.ends_at.astimezone(self._zone()).isoformat()

    def get_time_zone(self, session) -> str:
        return self.context["meeting"].time_zone

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_join_url(self, session):
        """Only for those the site shows it to: approved registrants and the secretariat."""
        return (session.join_url or None) if self.context.get("join_links") else None

    def get_questions(self, session) -> list[str]:
        return [str(q) for q in session.questions.all()]


class TimePlanVersionSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    note = serializers.CharField()
    time_zone = serializers.CharField()
    sessions = SessionSerializer(many=True)


# --- Registrations ---------------------------------------------------------------------------------


class RegistrationSerializer(serializers.ModelSerializer):
    delegate = serializers.SerializerMethodField()
    entity = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "url",
            "meeting",
            "delegate",
            "entity",
            "state",
            "participation",
            "head_of_delegation",
            "fellowship_requested",
            "visa_support_requested",
            "is_late",
            "approved_automatically",
            "created_at",
            "decided_at",
            "reason",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"}},
        }
    )
    def get_delegate(self, registration):
        person = registration.delegate
        return {"id": person.pk, "name": str(person), "email": person.email}

    @extend_schema_field({"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}})
    def get_entity(self, registration):
        return {"id": registration.entity_id, "name": registration.entity.name}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, registration) -> str:
        return absolute(reverse("api:registration-detail", kwargs={"pk": registration.pk}))


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class BulkDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    registrations = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class AlreadyDecidedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    detail = serializers.CharField()


class BulkOutcomeSerializer(serializers.Serializer):
    decided = serializers.ListField(child=serializers.IntegerField())
    already_decided = AlreadyDecidedSerializer(many=True)


class CountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class DelegationSerializer(serializers.Serializer):
    entity_id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField()
    total = serializers.IntegerField()
    women = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Live (pending or approved) registrations.")
    women = serializers.IntegerField()
    by_state = CountSerializer(many=True)
    by_category = CountSerializer(many=True)
    by_country = CountSerializer(many=True)
    delegations = DelegationSerializer(many=True)


# --- Webhooks --------------------------------------------------------------------------------------


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_TYPES), min_length=1)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "events", "is_active", "created_at"]
        read_only_fields = ["id", "is_active", "created_at"]


class WebhookCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="Shown once: verify the deliveries' signatures with it.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "status", "error", "duration_ms"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "state",
            "attempts",
            "created_at",
            "next_attempt_at",
            "delivered_at",
            "last_status",
            "last_error",
            "payload",
            "log",
        ]


def document_rows(documents) -> list[dict]:
    """The list's rows as ``DocumentSerializer`` writes them, built directly: a thousand rows through the generic
    serializer machinery cost several times the page itself. The list tests compare the two."""
    api_url = address_of("api:document-detail", wrap=absolute)
    page_url = address_of("documents:detail", wrap=absolute)
    rows = []
    for d in documents:
        latest = next((r for r in d.revisions.all() if r.number == d.latest_revision), None)
        rows.append(
            {
                "id": d.pk,
                "url": api_url(d.pk),
                "page": page_url(d.pk),
                "meeting": d.meeting_id,
                "kind": d.kind,
                "td_type": d.td_type,
                "number": d.number,
                "scope": d.scope,
                "name": d.display_name,
                "title": d.title,
                "source": d.source,
                "questions": [f"Q{q.number}/{d.study_group.number}" for q in d.questions.all()],
                "abstract": d.abstract,
                "translation_requested": d.translation_requested,
                "is_late": d.is_late,
                "posted_at": _iso(d.posted_at),
                "latest_revision": d.latest_revision,
                "last_revised_at": _iso(d.last_revised_at),
                "withdrawn_at": _iso(d.withdrawn_at),
                "files": [
                    {
                        "id": f.pk,
                        "name": f.name,
                        "original_name": f.original_name,
                        "size": f.size,
                        "sha256": f.sha256,
                        "content_type": f.content_type,
                        "extension": f.extension,
                        "download_url": absolute(f.get_absolute_url()),
                    }
                    for f in (latest.files.all() if latest else ())
                ],
            }
        )
    return rows


_DATETIME = serializers.DateTimeField()


def _iso(value):
    return None if value is None else _DATETIME.to_representation(value)
