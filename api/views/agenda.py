"""The published versions of a meeting's agenda and time plan (drafts stay on the site, for those who edit)."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from agenda.models import AgendaVersion, TimePlanVersion
from agenda.numbering import flatten
from agenda.queries import access_meeting, agenda_tree, published_versions, sessions_of
from meetings.models import Meeting

from .. import serializers as s
from ..models import Scope
from .base import ApiView

MEETING_PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The meeting's id.")
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="The version's number (1, 2 …).")
PERM = "agenda.view_published"


def _versions(view: ApiView, model, meeting, url_name: str) -> list[dict]:
    versions = list(published_versions(model, meeting))
    view.note_changed(*(v.published_at for v in versions))
    return [
        {
            "number": v.number,
            "published_at": v.published_at,
            "note": v.note,
            "url": s.absolute(reverse(url_name, kwargs={"pk": meeting.pk, "number": v.number})),
        }
        for v in versions
    ]


def _version(model, meeting, number: int):
    version = published_versions(model, meeting).filter(number=number).first()
    if version is None:
        raise Http404
    return version


class AgendaVersionList(ApiView):
    """The published versions of the agenda, oldest first."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True  # as public as agenda.view_published makes them
    serializer_class = s.VersionSerializer
    queryset = Meeting.objects.none()

    @extend_schema(
        operation_id="meetings_agenda_versions_list", parameters=[MEETING_PK], responses=s.VersionSerializer(many=True)
    )
    def get(self, request, pk):
        meeting = access_meeting(request.user, pk, perm=PERM).meeting
        data = _versions(self, AgendaVersion, meeting, "api:agenda-version")
        return Response(self.get_serializer(data, many=True).data)


class AgendaVersionDetail(ApiView):
    """One published version of the agenda: its items in order, numbered as on the page."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True  # as public as agenda.view_published makes them
    serializer_class = s.AgendaVersionSerializer
    queryset = Meeting.objects.none()

    @extend_schema(parameters=[MEETING_PK, NUMBER])
    def get(self, request, pk, number):
        meeting = access_meeting(request.user, pk, perm=PERM).meeting
        version = _version(AgendaVersion, meeting, number)
        sg = meeting.study_group.number
        items = [
            {
                "uid": node.uid,
                "number": node.label,
                "parent_uid": node.parent.uid if node.parent else None,
                "depth": node.depth,
                "title": node.item.title,
                "description": node.item.description,
                "working_party": node.item.working_party,
                "questions": [f"Q{q.number}/{sg}" for q in node.item.questions.all()],
                "documents": [d.pk for d in node.item.documents.all()],
            }
            for node in flatten(agenda_tree(version))
        ]
        issued = version.td_revision.display_name if version.td_revision_id else None
        self.note_changed(version.published_at)
        data = {
            "meeting": meeting.pk,
            "number": version.number,
            "published_at": version.published_at,
            "note": version.note,
            "issued_as": issued,
            "items": items,
        }
        return Response(self.get_serializer(data).data)


class TimePlanVersionList(ApiView):
    """The published versions of the time plan, oldest first."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True  # as public as agenda.view_published makes them
    serializer_class = s.VersionSerializer
    queryset = Meeting.objects.none()

    @extend_schema(
        operation_id="meetings_time_plan_versions_list",
        parameters=[MEETING_PK],
        responses=s.VersionSerializer(many=True),
    )
    def get(self, request, pk):
        meeting = access_meeting(request.user, pk, perm=PERM).meeting
        data = _versions(self, TimePlanVersion, meeting, "api:time-plan-version")
        return Response(self.get_serializer(data, many=True).data)


class TimePlanVersionDetail(ApiView):
    """One published version of the time plan: its sessions in UTC and in the meeting's zone."""

    read_scope = Scope.MEETINGS_READ
    allows_anonymous = True  # as public as agenda.view_published makes them
    serializer_class = s.TimePlanVersionSerializer
    queryset = Meeting.objects.none()

    @extend_schema(parameters=[MEETING_PK, NUMBER])
    def get(self, request, pk, number):
        meeting = access_meeting(request.user, pk, perm=PERM).meeting
        version = _version(TimePlanVersion, meeting, number)
        self.note_changed(version.published_at)
        data = {
            "meeting": meeting.pk,
            "number": version.number,
            "published_at": version.published_at,
            "note": version.note,
            "time_zone": meeting.time_zone,
            "sessions": list(sessions_of(version)),
        }
        context = {"meeting": meeting, "join_links": request.user.has_perm("agenda.view_join_links", meeting)}
        return Response(self.get_serializer(data, context=context).data)
