"""Every agenda URL × every role, with the status each must get: for an announced meeting, then for a draft one.

Anonymous visitors are sent to log in where a page needs a person; a missing right is 403; a draft meeting exists
only for the secretariat and the chairs of its study group (the draft rule, ``meetings.rules``): 404 to the others.
The URL lists are also read by the accessibility tests (tests/e2e/accessibility.py).
"""

import pytest
from django.conf import settings
from django.urls import reverse

from agenda import urls
from agenda.models import AgendaVersion, TimePlanVersion
from meetings.models import Meeting
from tests.agenda.conftest import draft_item

READ_PUBLISHED = [
    "agenda:agenda",
    "agenda:agenda_version",
    "agenda:agenda_pdf",
    "agenda:time_plan",
    "agenda:time_plan_version",
    "agenda:time_plan_pdf",
    "agenda:time_plan_ics",
    "agenda:agenda_compare",
    "agenda:time_plan_compare",
]
READ_DRAFT = ["agenda:agenda_draft", "agenda:time_plan_draft", "agenda:agenda_draft_pdf", "agenda:time_plan_draft_pdf"]
EDIT = [
    "agenda:agenda_item_add",
    "agenda:agenda_item_edit",
    "agenda:agenda_outline",
    "agenda:agenda_publish",
    "agenda:session_add",
    "agenda:session_edit",
    "agenda:time_plan_publish",
]
# POST only: they change the draft.
EDIT_ACTIONS = [
    "agenda:agenda_item_delete",
    "agenda:agenda_item_shift",
    "agenda:agenda_item_move",
    "agenda:session_delete",
]
# Not tied to one meeting's page: test_index_is_public, test_calendar_subscription_link_works_without_login_...
# test_calendar_links_are_replaced_from_the_profile_and_the_old_ones_stop (POST only, any signed-in person).
TESTED_ELSEWHERE = ["agenda:index", "agenda:calendar_feed", "agenda:replace_calendar_links"]


def url_of(name, meeting):
    """The address of ``name`` for the meeting: version 1, the draft's "Opening" item, the draft's first session."""
    kwargs = {"meeting_pk": meeting.pk}
    if name.endswith(("_version", "agenda_pdf", "time_plan_pdf")):
        kwargs["number"] = 1
    elif name.startswith("agenda:agenda_item_") and name != "agenda:agenda_item_add":
        kwargs["pk"] = draft_item(meeting, "Opening").pk
    elif name in ("agenda:session_edit", "agenda:session_delete"):
        kwargs["pk"] = TimePlanVersion.objects.get(meeting=meeting, number=None).sessions.first().pk
    return reverse(name, kwargs=kwargs)


ROLES = ["anonymous", "outsider", "registrant", "chair", "chair_of_another_study_group", "secretariat"]
LOGIN = "login"  # a redirect to the login page

# Columns: anonymous, signed in but no member, a member registered for the meeting, the chair of its study group
# (SG17), the chair of another study group, the secretariat.
ANNOUNCED = {
    "read published": (200, 200, 200, 200, 200, 200),
    "read draft": (LOGIN, 403, 403, 200, 403, 200),
    "edit": (LOGIN, 403, 403, 403, 403, 200),
    # Without a revision the secretariat's request is incomplete: sent back to the editor, nothing changed.
    "edit action": (LOGIN, 403, 403, 403, 403, 302),
}
DRAFT = {
    "read published": (404, 404, 404, 200, 404, 200),
    "read draft": (LOGIN, 404, 404, 200, 404, 200),
    "edit": (LOGIN, 404, 404, 403, 404, 200),
    "edit action": (LOGIN, 404, 404, 403, 404, 302),
}
KIND = {
    **dict.fromkeys(READ_PUBLISHED, "read published"),
    **dict.fromkeys(READ_DRAFT, "read draft"),
    **dict.fromkeys(EDIT, "edit"),
    **dict.fromkeys(EDIT_ACTIONS, "edit action"),
}
# url name, method, (one status per role) for an announced meeting, and the same for a draft one.
TABLE = [(name, "post" if kind == "edit action" else "get", ANNOUNCED[kind]) for name, kind in KIND.items()]
DRAFT_TABLE = [(name, "post" if kind == "edit action" else "get", DRAFT[kind]) for name, kind in KIND.items()]


def _answer(client, request, meeting, name, method, expected, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = getattr(client, method)(url_of(name, meeting))

    wanted = expected[ROLES.index(role)]
    if wanted == LOGIN:
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == wanted


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "expected"), TABLE, ids=[f"{n}-{m}" for n, m, _e in TABLE])
def test_agenda_url_of_an_announced_meeting_answers_each_role(client, request, published, name, method, expected, role):
    _answer(client, request, published, name, method, expected, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "expected"), DRAFT_TABLE, ids=[f"{n}-{m}" for n, m, _e in DRAFT_TABLE])
def test_agenda_url_of_a_draft_meeting_answers_each_role(client, request, published, name, method, expected, role):
    Meeting.objects.filter(pk=published.pk).update(state=Meeting.State.DRAFT)
    _answer(client, request, published, name, method, expected, role)


def test_permission_table_covers_every_url():
    tested = [name for name, _method, _expected in TABLE] + TESTED_ELSEWHERE
    assert sorted(f"agenda:{p.name}" for p in urls.urlpatterns) == sorted(tested)


@pytest.mark.parametrize("role", ROLES)
def test_edit_actions_change_nothing_when_refused_or_incomplete(client, request, published, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    revisions = dict(AgendaVersion.objects.filter(meeting=published, number=None).values_list("pk", "revision"))

    for name in EDIT_ACTIONS:
        client.post(url_of(name, published))

    # Without a revision even the secretariat's requests are incomplete: nothing is changed, whoever asks.
    assert dict(AgendaVersion.objects.filter(meeting=published, number=None).values_list("pk", "revision")) == revisions
    assert TimePlanVersion.objects.get(meeting=published, number=None).sessions.count() == 1


def test_edit_actions_refuse_get(client, published, secretariat):
    client.force_login(secretariat)
    assert {name: client.get(url_of(name, published)).status_code for name in EDIT_ACTIONS} == dict.fromkeys(
        EDIT_ACTIONS, 405
    )
