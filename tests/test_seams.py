"""The cross-cutting seams: meeting access, the error family, enqueuing tasks on commit, the suite's database."""

import ast
import os
import pathlib
import re
import subprocess
import sys

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from meetings.models import Meeting
from meetings.queries import (
    access_key_deadline,
    access_meeting,
    access_side_event,
    meeting_visible_to,
    meetings_visible_to,
)
from sg17portal import errors
from sg17portal.celery import app as celery_app
from tests.factories import MeetingFactory
from tests.meetings.factories import SideEventFactory

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = ("accounts", "meetings", "registration", "documents", "agenda", "notifications")


def _python_files(*parts):
    for app in APPS:
        base = ROOT / app
        yield from (p for p in base.rglob("*.py") if "migrations" not in p.parts and all(x in p.parts for x in parts))


# --- Meeting access ------------------------------------------------------------------------------


@pytest.fixture
def people(delegate, chair, secretariat):
    return {"anonymous": AnonymousUser(), "delegate": delegate, "chair": chair, "secretariat": secretariat}


@pytest.mark.django_db
@pytest.mark.parametrize("state", Meeting.State.values)
@pytest.mark.parametrize("role", ["anonymous", "delegate", "chair", "secretariat"])
def test_meeting_visible_filter_and_rule_agree(people, role, state):
    meeting = MeetingFactory(state=state)
    user = people[role]
    listed = meetings_visible_to(user).filter(pk=meeting.pk).exists()
    assert listed == meeting_visible_to(user, meeting) == user.has_perm("meetings.view_meeting", meeting)


@pytest.mark.django_db
def test_access_meeting_hides_a_draft_and_refuses_a_missing_right(people):
    draft, announced = MeetingFactory(state=Meeting.State.DRAFT), MeetingFactory(state=Meeting.State.ANNOUNCED)
    with pytest.raises(Http404):
        access_meeting(people["delegate"], draft.pk, perm="meetings.view_meeting")
    with pytest.raises(Http404):
        access_meeting(people["delegate"], "not a number", perm="meetings.view_meeting")
    with pytest.raises(PermissionDenied):
        access_meeting(people["delegate"], announced.pk, perm="meetings.manage_meetings")
    assert access_meeting(people["secretariat"], draft.pk, perm="meetings.manage_meetings") == draft


@pytest.mark.django_db
@pytest.mark.parametrize("row", ["side event", "key deadline"])
def test_a_row_reached_by_its_meeting_id_answers_as_its_meeting(people, row):
    draft, other = MeetingFactory(state=Meeting.State.DRAFT), MeetingFactory(state=Meeting.State.ANNOUNCED)
    event, kind = SideEventFactory(meeting=draft), draft.deadlines.first().kind

    def fetch(role, perm, meeting_pk=draft.pk):
        if row == "side event":
            return access_side_event(people[role], meeting_pk, event.pk, perm=perm)
        return access_key_deadline(people[role], meeting_pk, kind, perm=perm)

    for role in ("anonymous", "delegate"):
        with pytest.raises(Http404):
            fetch(role, "meetings.view_meeting")
    assert fetch("chair", "meetings.view_meeting").meeting == draft  # the chair of SG17 reads SG17's drafts
    with pytest.raises(PermissionDenied):
        fetch("chair", "meetings.manage_meetings")
    assert fetch("secretariat", "meetings.manage_meetings").meeting == draft
    if row == "side event":
        with pytest.raises(Http404):
            fetch("secretariat", "meetings.manage_meetings", meeting_pk=other.pk)  # not an event of that meeting


# A keyword that names a meeting or its id in a lookup: meeting_id=…, meeting__pk=…, version__meeting=… .
_MEETING_LOOKUP = re.compile(r"(^|__)meeting(_id|_pk|__pk|__id)?$")
_FETCHERS = ("get_object_or_404", "get_list_or_404")


def _identifiers(node) -> set[str]:
    """The names and attribute names in ``node`` (not its strings: ``select_related("meeting")`` is no meeting)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
    }


def _reads_meetings(node) -> bool:
    """``Meeting``, ``Meeting.objects…`` or a query function of meetings (``meeting_with_details()`` …)."""
    return any(name == "Meeting" or re.match(r"meetings?_", name) for name in _identifiers(node))


def _id_from_the_request(value) -> bool:
    """An id as the URL gave it (``pk``, ``meeting_pk``, ``self.kwargs["pk"]``), not a meeting already reached through
    the seam (``meeting``, ``self.meeting``, ``meeting.pk``)."""
    if isinstance(value, ast.Subscript | ast.Constant):
        return True
    return isinstance(value, ast.Name) and not value.id.endswith("meeting")


class _MeetingFetch(ast.NodeVisitor):
    """Finds a meeting fetched around the access seam: ``get_object_or_404`` on meetings, ``Meeting.objects….get``,
    and any fetch of a row by the meeting id the request gave (``get_object_or_404(SideEvent, meeting_id=pk)``,
    ``KeyDeadline.objects.get(meeting_id=pk)``): a row reached that way skips the draft rule of its meeting."""

    def __init__(self):
        self.found = []

    def visit_Call(self, node):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        by_meeting_id = any(
            k.arg and _MEETING_LOOKUP.search(k.arg) and _id_from_the_request(k.value) for k in node.keywords
        )
        fetcher = name in _FETCHERS and ((node.args and _reads_meetings(node.args[0])) or by_meeting_id)
        lookup = name in ("get", "filter", "exclude") and "objects" in _identifiers(func)
        if fetcher or (lookup and ((name == "get" and _reads_meetings(func.value)) or by_meeting_id)):
            self.found.append(node.lineno)
        self.generic_visit(node)


VIEW_APPS = ("meetings", "registration", "documents", "agenda", "api")


def _view_modules():
    for app in VIEW_APPS:
        yield from (p for p in (ROOT / app).rglob("*.py") if "views" in p.parts or p.name == "views.py")


def test_views_reach_meetings_only_through_the_access_seam():
    offenders = []
    for path in _view_modules():
        finder = _MeetingFetch()
        finder.visit(ast.parse(path.read_text()))
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in finder.found]
    assert offenders == [], "use meetings.queries.access_meeting(user, pk, perm=…) or an access_* function built on it"


def test_the_seam_check_reads_every_views_module_of_the_apps():
    modules = {str(p.relative_to(ROOT)) for p in _view_modules()}
    for app in VIEW_APPS:
        assert any(m.startswith(f"{app}/views") for m in modules), app
    assert "meetings/views/secretariat.py" in modules


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("m = get_object_or_404(Meeting, pk=1)", [1]),
        ("m = Meeting.objects.select_related('x').get(pk=2)", [1]),
        ("m = get_object_or_404(queries.meeting_with_details(), pk=kwargs['pk'])", [1]),
        ("e = get_object_or_404(SideEvent.objects.select_related('meeting'), meeting_id=pk, pk=event_pk)", [1]),
        ("d = get_object_or_404(KeyDeadline, meeting_id=self.kwargs['pk'], kind=kind)", [1]),
        ("d = KeyDeadline.objects.get(meeting__pk=meeting_pk, kind=kind)", [1]),
        ("r = Registration.objects.filter(meeting_id=meeting_pk).first()", [1]),
        # Reached through the seam first: the meeting object, or its id, scopes the lookup.
        ("i = get_object_or_404(AgendaItem, pk=pk, version__meeting=meeting)", []),
        ("e = SideEvent.objects.filter(meeting=self.meeting)", []),
        ("d = KeyDeadline.objects.get(meeting_id=meeting.pk, kind=kind)", []),
        ("g = get_object_or_404(StudyGroup.objects.prefetch_related('questions'), number=number)", []),
        ("j = get_object_or_404(PdfJob.objects.select_related('meeting'), pk=pk)", []),
        ("m = access_meeting(request.user, pk, perm='meetings.view_meeting')", []),
    ],
)
def test_the_seam_check_finds_a_meeting_fetched_around_the_seam(source, found):
    finder = _MeetingFetch()
    finder.visit(ast.parse(source))
    assert finder.found == found


# --- Errors --------------------------------------------------------------------------------------


class _Form(forms.Form):
    files = forms.CharField(required=False)
    title = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


def test_refusal_goes_on_its_field_when_the_form_has_it():
    form = _Form({})
    assert form.is_valid()
    errors.add_to_form(form, errors.InvalidInput("Not a PDF.", field="files"))
    errors.add_to_form(form, errors.InvalidInput("No such field.", field="colour"))
    errors.add_to_form(form, errors.NotAllowed("Only the secretariat."))
    errors.add_to_form(form, ValidationError({"title": "Too long."}))
    assert form.errors == {
        "files": ["Not a PDF."],
        "__all__": ["No such field.", "Only the secretariat."],
        "title": ["Too long."],
    }


def test_refusal_reported_as_a_message_of_its_level():
    request = _request()
    errors.report(request, errors.Conflict("Already done."), prefix="Ana: ")
    errors.report(request, ValidationError(["First.", "Second."]))
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("error", "Ana: Already done."),
        ("error", "First."),
        ("error", "Second."),
    ]


def test_every_refusal_family_is_a_portal_error_with_a_message_property():
    from agenda.outline import OutlineError
    from agenda.services import AgendaError, StaleDraft
    from documents.services import DeadlinePassed, DocumentError
    from documents.uploads import UploadRefused
    from registration.services import AlreadyDecided

    for family in (AgendaError, StaleDraft, DocumentError, DeadlinePassed, UploadRefused, AlreadyDecided, OutlineError):
        assert issubclass(family, errors.PortalError)
        assert isinstance(family.message, property)
    assert (StaleDraft.status, DeadlinePassed.status, UploadRefused.field) == (409, 403, "files")


@pytest.mark.django_db
def test_refusal_no_view_caught_answers_with_its_status_and_message():
    middleware = errors.PortalErrorMiddleware(lambda request: None)
    response = middleware.process_exception(_request(), errors.Conflict("Someone else published it first."))
    assert response.status_code == 409
    assert "Someone else published it first." in response.content.decode()
    assert middleware.process_exception(_request(), ValueError("not ours")) is None


# --- Tasks ---------------------------------------------------------------------------------------


def _enqueued_task_names():
    names = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "enqueue_on_commit":
                names.append(node.args[0].value)
    return names


def test_every_enqueued_task_name_is_a_registered_task():
    celery_app.loader.import_default_modules()
    names = _enqueued_task_names()
    assert sorted(set(names)) == [
        "agenda.issue_agenda_tds",
        "meetings.render_issued_pdfs",
        "meetings.render_pdf_job",
        "notifications.send_queued_mail",
    ]
    assert [name for name in names if name not in celery_app.tasks] == []


def test_no_service_module_imports_its_tasks_module():
    offenders = []
    for path in _python_files():
        if not (path.name == "services.py" or "services" in path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == "tasks":
                offenders.append(str(path.relative_to(ROOT)))
            if isinstance(node, ast.Import) and any(a.name.endswith(".tasks") for a in node.names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_tasks_are_only_sent_from_the_enqueue_helper():
    direct = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text())):
            called = ast.unparse(node.func).split(".")[-1] if isinstance(node, ast.Call) else ""
            if called in ("delay", "apply_async", "send_task"):
                direct.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert direct == []


# --- The suite's database ------------------------------------------------------------------------


def test_pytest_without_postgresql_stops_at_once_saying_how_to_run_the_suite():
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_portal.py", "-q"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "ERROR: The test suite runs on PostgreSQL only: run `make test`, or set DATABASE_URL=" in result.stderr
    assert "passed" not in result.stdout
