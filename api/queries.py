"""Reads of the API that are not the domain apps' own: the webhook log, the caller's tokens."""

from django.db.models import Prefetch, QuerySet

from .models import AccessToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint


def tokens_of(user) -> QuerySet[AccessToken]:
    if not user.is_authenticated:
        return AccessToken.objects.none()
    return AccessToken.objects.filter(user=user)


def access_token(user, pk: int) -> AccessToken:
    """One of the person's own tokens; another person's token does not exist for them (404)."""
    from django.http import Http404

    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def webhook_endpoints() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.all()


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return endpoint.deliveries.prefetch_related(Prefetch("log", queryset=WebhookAttempt.objects.order_by("at", "id")))
