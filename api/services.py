"""Every write of the API app that is a workflow: tokens and webhook endpoints."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import EVENT_TYPES

from .models import AccessToken, Scope, WebhookEndpoint
from .webhooks import receiver_refusal

TOKEN_PREFIX = "sgp_"
MAX_TOKEN_DAYS = 366


def hash_token(token: str) -> str:
    """Tokens are 256-bit random strings: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_access_token(
    *, user, name: str, scopes: list[str], expires_in: datetime.timedelta, now=None
) -> tuple[AccessToken, str]:
    """Creates a personal access token for ``user`` and returns it with the token itself, to be shown once.

    Side effects, in order: the scopes and lifetime are checked (``ValidationError``); one row holding the
    token's hash, its first characters, the scopes and the expiry.
    """
    now = now or timezone.now()
    errors = {}
    if not name.strip():
        errors["name"] = _("Give the token a name, so you know later what it is for.")
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        errors["scopes"] = _("Choose at least one of the offered scopes.")
    if not datetime.timedelta(0) < expires_in <= datetime.timedelta(days=MAX_TOKEN_DAYS):
        errors["expires_in"] = _("A token lasts between one day and one year.")
    if errors:
        raise ValidationError(errors)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = AccessToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=token[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(token),
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=now + expires_in,
    )
    return row, token


@transaction.atomic
def revoke_access_token(token: AccessToken, *, by, now=None) -> AccessToken:
    """Revokes a token; it stops working at once.

    Side effects, in order: ``revoked_at`` is set if the token was not revoked yet.
    """
    now = now or timezone.now()
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db()
    return token


@transaction.atomic
def register_webhook(*, url: str, events: list[str], by, description: str = "") -> WebhookEndpoint:
    """The secretariat registers an endpoint for some events; deliveries are signed with a new secret.

    Side effects, in order: the URL and events are checked (``ValidationError``); the endpoint row with its
    secret.
    """
    errors = {}
    if refusal := receiver_refusal(url, must_resolve=False):
        errors["url"] = refusal
    if not events or set(events) - set(EVENT_TYPES):
        errors["events"] = _("Choose at least one of the offered events.")
    if errors:
        raise ValidationError(errors)
    endpoint = WebhookEndpoint(
        url=url,
        description=description.strip(),
        events=sorted(set(events)),
        secret="whsec_" + secrets.token_urlsafe(32),
        created_by=by,
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint


@transaction.atomic
def deactivate_webhook(endpoint: WebhookEndpoint, *, by) -> WebhookEndpoint:
    """Stops an endpoint; its pending deliveries are not sent any more, its log stays.

    Side effects, in order: the endpoint becomes inactive.
    """
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    endpoint.refresh_from_db()
    return endpoint
