"""Study groups, Questions, meetings with their key deadlines, side events and collective letter."""

from django.db.models import Max
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from documents.models import Kind
from documents.queries import documents_visible_to
from meetings.models import Meeting, Question, StudyGroup
from meetings.queries import access_meeting, issued_letters, meetings_visible_to

from .. import serializers as s
from ..models import Scope
from ..pagination import MeetingCursor
from .base import ApiView

MEETING_PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The meeting's id.")


class StudyGroupList(ApiView):
    """The study groups."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True
    serializer_class = s.StudyGroupSerializer
    queryset = StudyGroup.objects.all()

    @extend_schema(operation_id="study_groups_list", responses=s.StudyGroupSerializer(many=True))
    def get(self, request):
        groups = list(self.get_queryset().order_by("number"))
        return Response(self.get_serializer(groups, many=True).data)


class QuestionFilter(serializers.Serializer):
    study_group = serializers.IntegerField(required=False, help_text="The study group's number, e.g. 17.")


class QuestionList(ApiView):
    """The Questions of the study groups."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True
    serializer_class = s.QuestionSerializer
    queryset = Question.objects.select_related("study_group")

    @extend_schema(
        operation_id="questions_list", parameters=[QuestionFilter], responses=s.QuestionSerializer(many=True)
    )
    def get(self, request):
        filters = QuestionFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        questions = self.get_queryset()
        if "study_group" in filters.validated_data:
            questions = questions.filter(study_group__number=filters.validated_data["study_group"])
        questions = questions.order_by("study_group__number", "number")
        return Response(self.get_serializer(questions, many=True).data)


class MeetingFilter(serializers.Serializer):
    study_group = serializers.IntegerField(required=False, help_text="The study group's number, e.g. 17.")
    state = serializers.ChoiceField(choices=Meeting.State.choices, required=False)
    starts_after = serializers.DateField(required=False, help_text="Meetings whose last day is on or after this day.")
    ends_before = serializers.DateField(required=False, help_text="Meetings whose first day is on or before this day.")


class MeetingList(ApiView):
    """The meetings the caller may see (announced and closed ones; drafts too for the secretariat), latest first."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True
    serializer_class = s.MeetingSerializer
    pagination_class = MeetingCursor

    def get_queryset(self):
        return meetings_visible_to(self.request.user, Meeting.objects.select_related("study_group", "study_period"))

    @extend_schema(operation_id="meetings_list", parameters=[MeetingFilter], responses=s.MeetingSerializer(many=True))
    def get(self, request):
        filters = MeetingFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        meetings = self.get_queryset()
        if "study_group" in f:
            meetings = meetings.filter(study_group__number=f["study_group"])
        if "state" in f:
            meetings = meetings.filter(state=f["state"])
        if "starts_after" in f:
            meetings = meetings.filter(last_day__gte=f["starts_after"])
        if "ends_before" in f:
            meetings = meetings.filter(first_day__lte=f["ends_before"])
        page = self.paginate_queryset(meetings)
        self.note_changed(*(m.updated_at for m in page))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MeetingDetail(ApiView):
    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True
    serializer_class = s.MeetingSerializer
    queryset = Meeting.objects.none()

    @extend_schema(parameters=[MEETING_PK])
    def get(self, request, pk):
        meeting = access_meeting(request.user, pk, perm="meetings.view_meeting")
        self.note_changed(meeting.updated_at)
        return Response(self.get_serializer(meeting).data)


class DeadlineList(ApiView):
    """The key deadlines: each runs until the end of its day in the meeting's zone (``closes_at`` in UTC)."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True
    serializer_class = s.KeyDeadlineSerializer
    queryset = Meeting.objects.none()

    @extend_schema(
        operation_id="meetings_deadlines_list", parameters=[MEETING_PK], responses=s.KeyDeadlineSerializer(many=True)
    )
    def get(self, request, pk):
        meeting = access_meeting(request.user, pk, perm="meetings.view_meeting")
        deadlines = list(meeting.deadlines.all())
        for deadline in deadlines:
            deadline.meeting = meeting
        self.note_changed(meeting.updated_at)
        return Response(self.get_serializer(deadlines, many=True).data)


class SideEventList(ApiView):
    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True
    serializer_class = s.SideEventSerializer
    queryset = Meeting.objects.none()

    @extend_schema(
        operation_id="meetings_side_events_list", parameters=[MEETING_PK], responses=s.SideEventSerializer(many=True)
    )
    def get(self, request, pk):
        meeting = access_meeting(request.user, pk, perm="meetings.view_meeting")
        events = list(meeting.side_events.all())
        for event in events:
            event.meeting = meeting
        self.note_changed(meeting.updated_at)
        return Response(self.get_serializer(events, many=True).data)


class CollectiveLetter(ApiView):
    """The meeting's collective letter (public), its addenda, and the letters posted as documents."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True
    serializer_class = s.CollectiveLetterSerializer
    queryset = Meeting.objects.none()

    @extend_schema(parameters=[MEETING_PK])
    def get(self, request, pk):
        meeting = access_meeting(request.user, pk, perm="meetings.view_meeting")
        letters = (
            documents_visible_to(request.user)
            .filter(meeting=meeting, kind=Kind.COLLECTIVE_LETTER)
            .select_related("study_group")
            .order_by("number")
        )
        posted = [
            {"id": d.pk, "name": d.display_name, "title": d.title, "url": s.absolute(d.get_absolute_url())}
            for d in letters
        ]
        _letter, addenda = issued_letters(meeting)
        self.note_changed(
            meeting.updated_at,
            letters.aggregate(m=Max("last_revised_at"))["m"] if posted else None,
            *(a.issued_at for a in addenda),
        )
        data = {
            "reference": meeting.letter_reference,
            "date": meeting.letter_date,
            "contact_reference": meeting.contact_reference,
            "signatory": meeting.signatory,
            "signatory_title": meeting.signatory_title,
            "page": s.absolute(reverse("meetings:letter", kwargs={"pk": meeting.pk})),
            "pdf": s.absolute(reverse("meetings:letter_pdf", kwargs={"pk": meeting.pk})),
            "documents": posted,
            "addenda": [
                {
                    "number": a.number,
                    "reference": a.reference,
                    "issued_on": a.issued_on,
                    "issued_at": a.issued_at,
                    "subject": a.subject,
                    "changes": a.changes,
                    "page": s.absolute(a.get_absolute_url()),
                    "pdf": s.absolute(reverse("meetings:addendum_pdf", kwargs={"pk": meeting.pk, "number": a.number})),
                }
                for a in addenda
            ],
        }
        return Response(self.get_serializer(data).data)
