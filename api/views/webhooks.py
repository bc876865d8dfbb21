"""The secretariat's webhooks: register, list, stop, and read the delivery log."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from .. import queries, services
from .. import serializers as s
from ..models import Scope, WebhookEndpoint
from ..pagination import Cursor
from ..permissions import IsAuthenticated, TokenScope
from .base import ApiView

PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="The webhook's id.")


class NewestFirst(Cursor):
    ordering = "-id"


class WebhookApiView(ApiView):
    permission_classes = [TokenScope, IsAuthenticated]
    read_scope = Scope.WEBHOOKS_MANAGE
    write_scope = Scope.WEBHOOKS_MANAGE
    queryset = WebhookEndpoint.objects.none()

    def check_permissions(self, request):
        super().check_permissions(request)
        if not request.user.has_perm("api.manage_webhooks"):
            raise PermissionDenied

    def endpoint(self, pk) -> WebhookEndpoint:
        endpoint = queries.webhook_endpoints().filter(pk=pk).first()
        if endpoint is None:
            raise Http404
        return endpoint


class WebhookList(WebhookApiView):
    serializer_class = s.WebhookEndpointSerializer
    pagination_class = Cursor

    @extend_schema(operation_id="webhooks_list", responses=s.WebhookEndpointSerializer(many=True))
    def get(self, request):
        page = self.paginate_queryset(queries.webhook_endpoints())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=s.WebhookEndpointSerializer, responses={201: s.WebhookCreatedSerializer})
    def post(self, request):
        body = s.WebhookEndpointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = services.register_webhook(
            url=body.validated_data["url"],
            events=body.validated_data["events"],
            description=body.validated_data.get("description", ""),
            by=request.user,
        )
        return Response(s.WebhookCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookDetail(WebhookApiView):
    serializer_class = s.WebhookEndpointSerializer

    @extend_schema(parameters=[PK])
    def get(self, request, pk):
        return Response(self.get_serializer(self.endpoint(pk)).data)

    @extend_schema(parameters=[PK], responses={204: None})
    def delete(self, request, pk):
        services.deactivate_webhook(self.endpoint(pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryList(WebhookApiView):
    """The delivery log of a webhook, newest first: each event, its state and every attempt."""

    serializer_class = s.WebhookDeliverySerializer
    pagination_class = NewestFirst

    @extend_schema(
        operation_id="webhooks_deliveries_list", parameters=[PK], responses=s.WebhookDeliverySerializer(many=True)
    )
    def get(self, request, pk):
        page = self.paginate_queryset(queries.deliveries_of(self.endpoint(pk)))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
