"""What every API answer shares: tokens and their life, CSRF on the session, rate limits, conditional GETs,
problem details, and the schema and its documentation page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from api.models import AccessToken, Scope
from api.services import hash_token

from .conftest import bearer, token_for

pytestmark = pytest.mark.django_db


def test_token_page_shows_the_token_once_and_stores_only_its_hash(client, member):
    client.force_login(member)
    response = client.post(
        reverse("api:tokens"), {"name": "calendar sync", "scopes": ["meetings:read"], "lifetime": "30"}, follow=True
    )
    token = response.context["created"]["token"]
    row = AccessToken.objects.get()
    assert (row.name, row.scopes, row.token_hash, row.prefix) == (
        "calendar sync",
        ["meetings:read"],
        hash_token(token),
        token[:10],
    )
    assert token not in str(AccessToken.objects.values().get())
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("api:tokens"))
    assert token not in again.content.decode()
    assert again.context["created"] is None


def test_token_page_refuses_a_token_without_scope_with_a_message(client, member):
    client.force_login(member)
    response = client.post(reverse("api:tokens"), {"name": "x", "lifetime": "30"})
    assert response.context["form"].errors == {"scopes": ["Choose at least one scope."]}
    assert AccessToken.objects.count() == 0


def test_token_works_until_revoked_and_shows_its_last_use(client, member, meeting):
    token = token_for(member, [Scope.MEETINGS_READ])
    url = reverse("api:meeting-detail", kwargs={"pk": meeting.pk})
    assert client.get(url, **bearer(token)).status_code == 200
    row = AccessToken.objects.get()
    assert row.last_used_at is not None

    client.force_login(member)
    client.post(reverse("api:token_revoke", kwargs={"pk": row.pk}))
    client.logout()
    response = client.get(url, **bearer(token))
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "The token is not valid, has expired or was revoked.",
    )


def test_expired_or_unknown_token_is_refused(client, member, meeting):
    token = token_for(member, [Scope.MEETINGS_READ], now=timezone.now() - datetime.timedelta(days=31))
    url = reverse("api:meeting-detail", kwargs={"pk": meeting.pk})
    assert client.get(url, **bearer(token)).status_code == 401
    assert client.get(url, **bearer("sgp_not-a-token")).status_code == 401


def test_token_acts_with_no_more_rights_than_its_person(client, member, registration):
    """A delegate's token with registrations:decide still cannot approve: the rules of the site decide."""
    token = token_for(member, [Scope.REGISTRATIONS_READ, Scope.REGISTRATIONS_DECIDE])
    url = reverse("api:registration-approve", kwargs={"pk": registration.pk})
    response = client.post(url, {}, content_type="application/json", **bearer(token))
    assert response.status_code == 403


def test_session_writes_need_the_csrf_token(focal_point, registration):
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_point)
    url = reverse("api:registration-approve", kwargs={"pk": registration.pk})
    refused = client.post(url, {}, content_type="application/json")
    assert (refused.status_code, refused["Content-Type"]) == (403, "application/problem+json")
    assert "CSRF" in refused.json()["detail"]

    client.get(reverse("api:tokens"))  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(url, {}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert (accepted.status_code, accepted.json()["state"]) == (200, "approved")


def test_token_writes_need_no_csrf_token(focal_point, registration):
    client = Client(enforce_csrf_checks=True)
    token = token_for(focal_point, [Scope.REGISTRATIONS_DECIDE])
    url = reverse("api:registration-approve", kwargs={"pk": registration.pk})
    assert client.post(url, {}, content_type="application/json", **bearer(token)).status_code == 200


def test_rate_limit_per_token_answers_429_with_retry_after(client, settings, member, meeting):
    settings.API_RATE_LIMIT = "3/min"
    url = reverse("api:meeting-list")
    first, second = token_for(member, [Scope.MEETINGS_READ]), token_for(member, [Scope.MEETINGS_READ])
    statuses = [client.get(url, **bearer(first)).status_code for _ in range(4)]
    refused = client.get(url, **bearer(first))
    assert statuses == [200, 200, 200, 429]
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    # Another token of the same person has its own budget.
    assert client.get(url, **bearer(second)).status_code == 200


def test_etag_and_if_none_match_give_304(client, meeting):
    url = reverse("api:meeting-detail", kwargs={"pk": meeting.pk})
    first = client.get(url)
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    meeting.venue = "Room A, Geneva"
    meeting.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (changed.status_code, changed.json()["venue"]) == (200, "Room A, Geneva")


def test_bad_filter_is_a_problem_detail_naming_the_field(client, meeting):
    response = client.get(reverse("api:meeting-list"), {"starts_after": "tomorrow"})
    body = response.json()
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")
    assert (body["type"], body["status"], list(body["errors"])) == ("/api/v1/problems/invalid", 400, ["starts_after"])


def test_already_decided_is_a_409_problem(client, focal_point, registration):
    client.force_login(focal_point)
    url = reverse("api:registration-approve", kwargs={"pk": registration.pk})
    client.post(url, {}, content_type="application/json")
    again = client.post(
        reverse("api:registration-reject", kwargs={"pk": registration.pk}),
        {"reason": "No."},
        content_type="application/json",
    )
    assert (again.status_code, again.json()["type"], again.json()["state"]) == (
        409,
        "/api/v1/problems/already-decided",
        "approved",
    )
    assert again.json()["detail"].startswith("This registration was already approved by ")


def test_schema_is_valid_openapi(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/meetings/{pk}/documents/" in schema["paths"]


def test_docs_page_uses_the_packaged_assets_under_the_portal_csp(client, settings):
    response = client.get(reverse("api:docs"))
    page = response.content.decode()
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<style" not in page
    assert "<script>" not in page
    assert "http" not in page.replace(settings.SITE_URL, "")
