"""Registrations: a delegate's own, a focal point's entity's (and their decisions), all for the secretariat.

Every decision goes through the site's services (compare-and-set, history, mails); what the caller may see and
decide is asked of ``registration.queries`` and ``registration.rules``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from meetings.queries import access_meeting
from registration import queries, services
from registration.models import Registration
from registration.statistics import meeting_statistics

from .. import serializers as s
from ..models import Scope
from ..pagination import Cursor
from ..permissions import IsAuthenticated, TokenScope
from .base import ApiView

PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The registration's id.")
RELATED = ("delegate", "entity")


class RegistrationFilter(serializers.Serializer):
    meeting = serializers.IntegerField(required=False, min_value=1)
    state = serializers.ChoiceField(choices=Registration.State.choices, required=False)
    entity = serializers.IntegerField(required=False, min_value=1)


class RegistrationApiView(ApiView):
    permission_classes = [TokenScope, IsAuthenticated]
    read_scope = Scope.REGISTRATIONS_READ
    write_scope = Scope.REGISTRATIONS_DECIDE
    queryset = Registration.objects.none()


class RegistrationList(RegistrationApiView):
    """The registrations the caller may see: their own, their entities' as focal point, all for the secretariat."""

    serializer_class = s.RegistrationSerializer
    pagination_class = Cursor

    @extend_schema(
        operation_id="registrations_list",
        parameters=[RegistrationFilter],
        responses=s.RegistrationSerializer(many=True),
    )
    def get(self, request):
        query = RegistrationFilter(data=request.query_params)
        query.is_valid(raise_exception=True)
        registrations = queries.registrations_visible_to(request.user).select_related(*RELATED)
        for name in ("meeting", "state", "entity"):
            if name in query.validated_data:
                registrations = registrations.filter(**{name: query.validated_data[name]})
        page = self.paginate_queryset(registrations)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RegistrationDetail(RegistrationApiView):
    serializer_class = s.RegistrationSerializer

    @extend_schema(parameters=[PK])
    def get(self, request, pk):
        registration = queries.access_registration(request.user, pk)
        self.note_changed(registration.decided_at or registration.created_at)
        return Response(self.get_serializer(registration).data)


class Approve(RegistrationApiView):
    """Approves a pending registration (the focal point of its entity, or the secretariat); 409 if decided."""

    serializer_class = s.DecisionSerializer

    @extend_schema(parameters=[PK], request=s.DecisionSerializer, responses=s.RegistrationSerializer)
    def post(self, request, pk):
        registration = queries.access_registration(request.user, pk, "registration.decide_registration")
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        registration = services.approve_registration(
            registration, by=request.user, reason=body.validated_data["reason"]
        )
        return Response(s.RegistrationSerializer(registration).data)


class Reject(RegistrationApiView):
    """Rejects a pending registration, with the reason the delegate is told; 409 if decided."""

    serializer_class = s.DecisionSerializer

    @extend_schema(parameters=[PK], request=s.DecisionSerializer, responses=s.RegistrationSerializer)
    def post(self, request, pk):
        registration = queries.access_registration(request.user, pk, "registration.decide_registration")
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        registration = services.reject_registration(registration, by=request.user, reason=body.validated_data["reason"])
        return Response(s.RegistrationSerializer(registration).data)


class BulkDecision(RegistrationApiView):
    """Approves or rejects many registrations at once. One id the caller may not decide on, and nothing is done
    (404); those already decided by someone else are reported in ``already_decided``."""

    serializer_class = s.BulkDecisionSerializer

    @extend_schema(request=s.BulkDecisionSerializer, responses=s.BulkOutcomeSerializer)
    def post(self, request):
        if not request.user.has_perm("registration.view_queue"):
            raise PermissionDenied
        body = s.BulkDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = set(body.validated_data["registrations"])
        if queries.registrations_decidable_by(request.user).filter(pk__in=ids).count() != len(ids):
            raise Http404
        decide = (
            services.approve_registrations
            if body.validated_data["action"] == "approve"
            else services.reject_registrations
        )
        outcome = decide(ids, by=request.user, reason=body.validated_data["reason"])
        data = {
            "decided": sorted(r.pk for r in outcome.decided),
            "already_decided": [
                {"id": r.pk, "state": r.state, "detail": services.AlreadyDecided(r).message}
                for r in sorted(outcome.already_decided, key=lambda r: r.pk)
            ],
        }
        return Response(s.BulkOutcomeSerializer(data).data)


class MeetingStatistics(RegistrationApiView):
    """The secretariat's statistics of a meeting's registrations: by state, category, country, and delegations."""

    serializer_class = s.StatisticsSerializer

    @extend_schema(parameters=[OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The meeting's id.")])
    def get(self, request, pk):
        meeting = access_meeting(request.user, pk, perm="meetings.view_meeting")
        if not request.user.has_perm("registration.view_meeting_registrations"):
            raise PermissionDenied
        registrations = meeting.registrations.all()
        stats = meeting_statistics(registrations, all_states=registrations)
        data = {
            "meeting": meeting.pk,
            "total": stats.total,
            "women": stats.women,
            "by_state": [{"label": str(label), "count": n} for label, n in stats.by_state],
            "by_category": [{"label": str(label), "count": n} for label, n in stats.by_category],
            "by_country": [{"label": str(label), "count": n} for label, n in stats.by_country],
            "delegations": [vars(d) for d in stats.delegations],
        }
        return Response(self.get_serializer(data).data)
