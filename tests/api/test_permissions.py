"""Every API endpoint × every kind of caller, with the status each must get.

The rules are the pages' own (asked of each app's queries and rules): 404 for what the caller may not know
exists, 403 for a missing right (or a token without the endpoint's scope), 401 for an anonymous caller where
a person is needed. The HTML token pages of the profile send anonymous visitors to log in.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from api import urls
from api.models import Scope, WebhookEndpoint
from api.permissions import required_scope
from api.services import create_access_token, register_webhook

from .conftest import bearer, token_for

ROLES = ["anonymous", "token_without_scope", "other_delegate", "member", "focal_point", "secretariat"]
LOGIN = "login"

# url name, method, (anonymous, token without the scope, delegate of another entity, member, focal point, secretariat)
TABLE = [
    ("schema", "get", (200, 200, 200, 200, 200, 200)),
    ("docs", "get", (200, 200, 200, 200, 200, 200)),
    ("study-group-list", "get", (200, 403, 200, 200, 200, 200)),
    ("question-list", "get", (200, 403, 200, 200, 200, 200)),
    ("meeting-list", "get", (200, 403, 200, 200, 200, 200)),
    ("meeting-detail", "get", (200, 403, 200, 200, 200, 200)),
    ("deadline-list", "get", (200, 403, 200, 200, 200, 200)),
    ("side-event-list", "get", (200, 403, 200, 200, 200, 200)),
    ("letter", "get", (200, 403, 200, 200, 200, 200)),
    ("document-list", "get", (401, 403, 200, 200, 200, 200)),
    ("document-detail", "get", (401, 403, 200, 200, 200, 200)),
    ("agenda-list", "get", (200, 403, 200, 200, 200, 200)),
    ("agenda-version", "get", (200, 403, 200, 200, 200, 200)),
    ("time-plan-list", "get", (200, 403, 200, 200, 200, 200)),
    ("time-plan-version", "get", (200, 403, 200, 200, 200, 200)),
    ("statistics", "get", (401, 403, 403, 403, 403, 200)),
    ("registration-list", "get", (401, 403, 200, 200, 200, 200)),
    ("registration-detail", "get", (401, 403, 404, 200, 200, 200)),
    ("registration-approve", "post", (401, 403, 404, 403, 200, 200)),
    ("registration-reject", "post", (401, 403, 404, 403, 200, 200)),
    ("registration-decisions", "post", (401, 403, 403, 403, 200, 200)),
    ("webhook-list", "get", (401, 403, 403, 403, 403, 200)),
    ("webhook-list", "post", (401, 403, 403, 403, 403, 201)),
    ("webhook-detail", "get", (401, 403, 403, 403, 403, 200)),
    ("webhook-detail", "delete", (401, 403, 403, 403, 403, 204)),
    ("webhook-deliveries", "get", (401, 403, 403, 403, 403, 200)),
    ("tokens", "get", (LOGIN, LOGIN, 200, 200, 200, 200)),
    ("token_revoke", "post", (LOGIN, LOGIN, 404, 302, 404, 404)),
    ("not-found", "get", (404, 404, 404, 404, 404, 404)),
]


@pytest.fixture
def world(people, meeting, registration, document, published, secretariat):
    endpoint = register_webhook(url="https://receiver.example.org/hook", events=["meeting.changed"], by=secretariat)
    member_token, _ = create_access_token(
        user=people["member"],
        name="calendar",
        scopes=[Scope.MEETINGS_READ],
        expires_in=datetime.timedelta(days=7),
    )
    m = {"pk": meeting.pk}
    arguments = {
        "meeting-detail": m,
        "deadline-list": m,
        "side-event-list": m,
        "letter": m,
        "document-list": m,
        "agenda-list": m,
        "time-plan-list": m,
        "statistics": m,
        "agenda-version": {"pk": meeting.pk, "number": 1},
        "time-plan-version": {"pk": meeting.pk, "number": 1},
        "document-detail": {"pk": document.pk},
        "registration-detail": {"pk": registration.pk},
        "registration-approve": {"pk": registration.pk},
        "registration-reject": {"pk": registration.pk},
        "webhook-detail": {"pk": endpoint.pk},
        "webhook-deliveries": {"pk": endpoint.pk},
        "token_revoke": {"pk": member_token.pk},
        "not-found": {"rest": "meetings/-1/"},
    }
    bodies = {
        "registration-reject": {"reason": "No seat left."},
        "registration-decisions": {"action": "approve", "registrations": [registration.pk]},
        "webhook-list": {"url": "https://other.example.org/hook", "events": ["document.posted"]},
    }
    return arguments, bodies


def _view_class(name):
    pattern = next(p for p in urls.urlpatterns if p.name == name)
    return getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "expected"), TABLE, ids=[f"{n}-{m}" for n, m, _e in TABLE])
def test_api_endpoint_answers_each_role(client, world, people, name, method, expected, role):
    arguments, bodies = world
    headers = {}
    if role == "token_without_scope":
        # The secretariat's token with every scope but the one the endpoint asks for.
        view = _view_class(name)
        needed = required_scope(view, method.upper()) if view else None
        headers = bearer(token_for(people["secretariat"], [s for s in Scope.values if s != needed]))
    elif role != "anonymous":
        client.force_login(people[role])
    url = reverse(f"api:{name}", kwargs=arguments.get(name, {}))

    if method == "get":
        response = client.get(url, **headers)
    elif name in ("tokens", "token_revoke"):
        response = client.post(url, {}, **headers)
    else:
        response = getattr(client, method)(url, bodies.get(name, {}), content_type="application/json", **headers)

    wanted = expected[ROLES.index(role)]
    if wanted == LOGIN:
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse(settings.LOGIN_URL))
        return
    assert response.status_code == wanted, response.content[:500]
    if wanted >= 400 and url.startswith("/api/"):
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == wanted
    if wanted == 401:
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_api_permission_table_covers_every_url():
    assert {p.name for p in urls.urlpatterns} == {name for name, _m, _e in TABLE}


def test_api_every_endpoint_that_serves_data_names_its_scope():
    for pattern in urls.urlpatterns:
        view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)
        if view is None or pattern.name in ("schema", "docs", "not-found"):
            continue
        assert getattr(view, "read_scope", None) in Scope.values, pattern.name


@pytest.mark.django_db
def test_api_draft_meeting_is_unknown_to_members_and_focal_points(client, people, meeting):
    meeting.state = meeting.State.DRAFT
    meeting.save(update_fields=["state"])
    url = reverse("api:meeting-detail", kwargs={"pk": meeting.pk})
    answers = {}
    for role in ("member", "focal_point", "secretariat"):
        client.force_login(people[role])
        answers[role] = client.get(url).status_code
    assert answers == {"member": 404, "focal_point": 404, "secretariat": 200}
    client.logout()
    assert client.get(url).status_code == 404


# The endpoints that read a meeting or its documents, for a draft meeting: its study group's chair knows of it (the
# draft rule, ``meetings.rules``), the chair of another study group does not (404). A chair is no member: no documents.
DRAFT_MEETING_CHAIRS = {
    "meeting-detail": (200, 404),
    "deadline-list": (200, 404),
    "side-event-list": (200, 404),
    "letter": (200, 404),
    "document-list": (403, 404),
    "document-detail": (403, 404),
    "agenda-list": (200, 404),
    "agenda-version": (200, 404),
    "time-plan-list": (200, 404),
    "time-plan-version": (200, 404),
    "statistics": (403, 404),
}


@pytest.mark.django_db
def test_api_draft_meeting_table_for_the_chairs(client, world, meeting, chair, chair_of_another_study_group):
    arguments, _bodies = world
    meeting.state = meeting.State.DRAFT
    meeting.save(update_fields=["state"])
    answers = {}
    for name in DRAFT_MEETING_CHAIRS:
        statuses = []
        for person in (chair, chair_of_another_study_group):
            client.force_login(person)
            statuses.append(client.get(reverse(f"api:{name}", kwargs=arguments[name])).status_code)
        answers[name] = tuple(statuses)
    assert answers == DRAFT_MEETING_CHAIRS


@pytest.mark.django_db
def test_api_focal_point_of_another_entity_gets_404_for_the_batch(client, registration, other_entity, other_delegate):
    other_entity.focal_points.add(other_delegate)
    client.force_login(other_delegate)
    response = client.post(
        reverse("api:registration-decisions"),
        {"action": "approve", "registrations": [registration.pk]},
        content_type="application/json",
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.state == "pending"
    assert WebhookEndpoint.objects.count() == 0
