"""Who may open what: every meetings URL × every role, with the status each must get (the tables below), then
the cases a table does not show."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import urls
from meetings.models import LetterIssue, Meeting
from tests.factories import MeetingFactory
from tests.meetings.factories import SideEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_meeting():
    """A draft SG17 meeting with a side event and an addendum (the pages the tables open show them)."""
    return prepare_meeting(MeetingFactory(state=Meeting.State.DRAFT))


def prepare_meeting(meeting):
    """Gives ``meeting`` what the table's pages show: a side event and an addendum (used by the accessibility
    tests too)."""
    SideEventFactory(meeting=meeting)
    # An addendum, as if the meeting had been announced and changed (the table checks who reads it).
    LetterIssue.objects.create(
        meeting=meeting,
        number=1,
        reference="Addendum 1 to TSB Collective letter 3/17",
        issued_on=meeting.first_day,
        issued_at=timezone.now(),
        subject="Virtual meeting of Study Group 17",
        changes=[{"what": "Venue", "before": "virtual meeting", "after": "Geneva"}],
    )
    return meeting


def _secretariat_pages(meeting):
    event = meeting.side_events.get()
    return [
        reverse("meetings:manage_list"),
        reverse("meetings:create"),
        reverse("meetings:manage", kwargs={"pk": meeting.pk}),
        reverse("meetings:edit", kwargs={"pk": meeting.pk}),
        reverse("meetings:texts", kwargs={"pk": meeting.pk, "language": "ar"}),
        reverse("meetings:clone", kwargs={"pk": meeting.pk}),
        reverse("meetings:deadline_override", kwargs={"pk": meeting.pk, "kind": "registration"}),
        reverse("meetings:side_event_create", kwargs={"pk": meeting.pk}),
        reverse("meetings:side_event_edit", kwargs={"pk": meeting.pk, "event_pk": event.pk}),
    ]


def _secretariat_actions(meeting):
    event = meeting.side_events.get()
    return [
        reverse("meetings:announce", kwargs={"pk": meeting.pk}),
        reverse("meetings:deadline_reset", kwargs={"pk": meeting.pk, "kind": "registration"}),
        reverse("meetings:side_event_delete", kwargs={"pk": meeting.pk, "event_pk": event.pk}),
    ]


def _public_pages(meeting):
    return [
        reverse("meetings:detail", kwargs={"pk": meeting.pk}),
        reverse("meetings:letter", kwargs={"pk": meeting.pk}),
        reverse("meetings:letter_pdf", kwargs={"pk": meeting.pk}),
        reverse("meetings:calendar", kwargs={"pk": meeting.pk}),
        reverse("meetings:addendum", kwargs={"pk": meeting.pk, "number": 1}),
        reverse("meetings:addendum_pdf", kwargs={"pk": meeting.pk, "number": 1}),
    ]


def _listing_pages():
    return [reverse("meetings:index"), reverse("meetings:study_group", kwargs={"number": 17})]


@pytest.fixture
def rendered_job(secretariat, tmp_path, settings):
    """A participants list rendered (in this process) for an announced meeting."""
    from meetings.pdf_jobs import render_job, request_pdf_job

    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = MeetingFactory(state=Meeting.State.ANNOUNCED)
    job = request_pdf_job(meeting, kind="participants", by=secretariat)
    render_job(job.pk)
    return job


ROLES = ["anonymous", "delegate", "chair", "chair_of_another_study_group", "secretariat"]
LOGIN = "login"  # a redirect to the login page

# The meeting is a draft of SG17. Columns: anonymous, a delegate, the chair of SG17, the chair of SG16, the secretariat.
# The secretariat's pages ask for the right before looking the meeting up (403); a draft exists only for the
# secretariat and the chairs of its study group (the draft rule, ``meetings.rules``): 404 to everyone else.
SECRETARIAT_ONLY = (LOGIN, 403, 403, 403, 200)
SECRETARIAT_ACTION = (LOGIN, 403, 403, 403, 302)
DRAFT_READERS = (404, 404, 200, 404, 200)
EVERYONE = (200, 200, 200, 200, 200)
TABLE = [
    ("manage_list", "get", SECRETARIAT_ONLY),
    ("create", "get", SECRETARIAT_ONLY),
    ("manage", "get", SECRETARIAT_ONLY),
    ("edit", "get", SECRETARIAT_ONLY),
    ("texts", "get", SECRETARIAT_ONLY),
    ("clone", "get", SECRETARIAT_ONLY),
    ("deadline_override", "get", SECRETARIAT_ONLY),
    ("side_event_create", "get", SECRETARIAT_ONLY),
    ("side_event_edit", "get", SECRETARIAT_ONLY),
    ("announce", "post", SECRETARIAT_ACTION),
    ("deadline_reset", "post", SECRETARIAT_ACTION),
    ("side_event_delete", "post", SECRETARIAT_ACTION),
    ("detail", "get", DRAFT_READERS),
    ("letter", "get", DRAFT_READERS),
    ("letter_pdf", "get", DRAFT_READERS),
    ("calendar", "get", DRAFT_READERS),
    ("addendum", "get", DRAFT_READERS),
    ("addendum_pdf", "get", DRAFT_READERS),
    ("index", "get", EVERYONE),
    ("study_group", "get", EVERYONE),
    # The participants list of the draft: its meeting's readers know the job exists, only the secretariat reads it.
    ("pdf_job", "get", (LOGIN, 404, 403, 404, 200)),
    ("pdf_job_file", "get", (LOGIN, 404, 403, 404, 200)),
]
# The same meeting announced (or closed): its pages are public.
ANNOUNCED_TABLE = [
    *[(name, "get", EVERYONE) for name in ("detail", "letter", "letter_pdf", "calendar", "addendum", "addendum_pdf")],
    ("pdf_job", "get", (LOGIN, 403, 403, 403, 200)),
    ("pdf_job_file", "get", (LOGIN, 403, 403, 403, 200)),
]


def url_arguments(meeting, *, job=None) -> dict[str, dict]:
    """The keyword arguments of each URL of the tables."""
    m = {"pk": meeting.pk}
    return {
        "manage_list": {},
        "create": {},
        "manage": m,
        "edit": m,
        "texts": {**m, "language": "ar"},
        "clone": m,
        "deadline_override": {**m, "kind": "registration"},
        "side_event_create": m,
        "side_event_edit": {**m, "event_pk": meeting.side_events.get().pk},
        "announce": m,
        "deadline_reset": {**m, "kind": "registration"},
        "side_event_delete": {**m, "event_pk": meeting.side_events.get().pk},
        "detail": m,
        "letter": m,
        "letter_pdf": m,
        "calendar": m,
        "addendum": {**m, "number": 1},
        "addendum_pdf": {**m, "number": 1},
        "index": {},
        "study_group": {"number": meeting.study_group.number},
        "pdf_job": {"pk": job.pk} if job else None,
        "pdf_job_file": {"pk": job.pk} if job else None,
    }


def _answer(client, request, *, state, name, method, expected, role):
    job = request.getfixturevalue("rendered_job") if name.startswith("pdf_job") else None
    meeting = prepare_meeting(MeetingFactory(state=state)) if job is None else prepare_meeting(job.meeting)
    Meeting.objects.filter(pk=meeting.pk).update(state=state)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse(f"meetings:{name}", kwargs=url_arguments(meeting, job=job)[name])

    response = getattr(client, method)(url)

    wanted = expected[ROLES.index(role)]
    if wanted == LOGIN:
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("account_login"))
    else:
        assert response.status_code == wanted


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "expected"), TABLE, ids=[f"{n}-{m}" for n, m, _e in TABLE])
def test_meetings_url_of_a_draft_answers_each_role(client, request, name, method, expected, role):
    _answer(client, request, state=Meeting.State.DRAFT, name=name, method=method, expected=expected, role=role)


@pytest.mark.parametrize("state", [Meeting.State.ANNOUNCED, Meeting.State.CLOSED])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "expected"), ANNOUNCED_TABLE, ids=[f"{n}-{m}" for n, m, _e in ANNOUNCED_TABLE]
)
def test_meetings_url_of_an_announced_or_closed_meeting_answers_each_role(
    client, request, name, method, expected, role, state
):
    _answer(client, request, state=state, name=name, method=method, expected=expected, role=role)


def test_meetings_permission_table_covers_every_url():
    assert sorted(p.name for p in urls.urlpatterns) == sorted(name for name, _method, _expected in TABLE)


@pytest.mark.parametrize("role", ["anonymous", "delegate", "chair", "chair_of_another_study_group"])
def test_secretariat_actions_refused_change_nothing(client, request, draft_meeting, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url in _secretariat_actions(draft_meeting):
        client.post(url)
    draft_meeting.refresh_from_db()
    assert (draft_meeting.state, draft_meeting.side_events.count()) == (Meeting.State.DRAFT, 1)


def test_secretariat_actions_refuse_get(client, secretariat, draft_meeting):
    client.force_login(secretariat)
    assert [client.get(url).status_code for url in _secretariat_actions(draft_meeting)] == [405] * 3


def test_secretariat_pages_of_missing_meeting_404(client, secretariat):
    client.force_login(secretariat)
    urls = [
        reverse("meetings:manage", kwargs={"pk": 999}),
        reverse("meetings:edit", kwargs={"pk": 999}),
        reverse("meetings:clone", kwargs={"pk": 999}),
        reverse("meetings:deadline_override", kwargs={"pk": 999, "kind": "registration"}),
        reverse("meetings:side_event_create", kwargs={"pk": 999}),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 5


def test_side_event_of_another_meeting_404(client, secretariat, draft_meeting):
    other = SideEventFactory(meeting=MeetingFactory())
    client.force_login(secretariat)
    url = reverse("meetings:side_event_edit", kwargs={"pk": draft_meeting.pk, "event_pk": other.pk})
    assert client.get(url).status_code == 404


def test_study_group_page_hides_drafts(client, draft_meeting):
    response = client.get(reverse("meetings:study_group", kwargs={"number": 17}))
    assert (response.status_code, response.context["upcoming"], response.context["past"]) == (200, [], [])


def test_unknown_study_group_404(client, db):
    assert client.get(reverse("meetings:study_group", kwargs={"number": 99})).status_code == 404


def test_listing_pages_list_no_draft_even_to_its_chairs(client, chair, draft_meeting):
    client.force_login(chair)
    response = client.get(reverse("meetings:study_group", kwargs={"number": 17}))
    assert (response.status_code, response.context["upcoming"], response.context["past"]) == (200, [], [])
