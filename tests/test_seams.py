"""The cross-cutting seams: meeting access, the error family, enqueuing tasks on commit, the suite's database."""

import ast
import os
import pathlib
import subprocess
import sys

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from meetings.models import Meeting
from meetings.queries import access_meeting, meeting_visible_to, meetings_visible_to
from meetings.rules import chair_group_name
from sg17portal import errors
from sg17portal.celery import app as celery_app
from tests.factories import MeetingFactory, UserFactory

ROOT = pathlib.Path(__file__).resolve().parent.parent
APPS = ("accounts", "meetings", "registration", "documents", "agenda", "notifications")


def _python_files(*parts):
    for app in APPS:
        base = ROOT / app
        yield from (p for p in base.rglob("*.py") if "migrations" not in p.parts and all(x in p.parts for x in parts))


# --- Meeting access ------------------------------------------------------------------------------


@pytest.fixture
def people(secretariat):
    chair = UserFactory(email="chair@example.org")
    chair.groups.add(Group.objects.get_or_create(name=chair_group_name(17))[0])
    return {
        "anonymous": AnonymousUser(),
        "delegate": UserFactory(email="someone@example.org"),
        "chair": chair,
        "secretariat": secretariat,
    }


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


class _MeetingFetch(ast.NodeVisitor):
    """Finds ``get_object_or_404(Meeting…)`` and ``Meeting.objects….get(…)`` calls."""

    def __init__(self):
        self.found = []

    def visit_Call(self, node):
        source = ast.unparse(node.func)
        first = ast.unparse(node.args[0]) if node.args else ""
        if source.endswith("get_object_or_404") and first.startswith("Meeting"):
            self.found.append(node.lineno)
        if source.endswith(".get") and source.startswith("Meeting.objects"):
            self.found.append(node.lineno)
        self.generic_visit(node)


def test_views_reach_meetings_only_through_the_access_seam():
    offenders = []
    for path in _python_files("views"):
        finder = _MeetingFetch()
        finder.visit(ast.parse(path.read_text()))
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in finder.found]
    for path in (ROOT / app / "views.py" for app in APPS):
        if path.exists():
            finder = _MeetingFetch()
            finder.visit(ast.parse(path.read_text()))
            offenders += [f"{path.relative_to(ROOT)}:{line}" for line in finder.found]
    assert offenders == [], "use meetings.queries.access_meeting(user, pk, perm=…)"


def test_the_ast_check_finds_a_meeting_fetched_around_the_seam():
    finder = _MeetingFetch()
    finder.visit(ast.parse("m = get_object_or_404(Meeting, pk=1)\nn = Meeting.objects.select_related('x').get(pk=2)"))
    assert finder.found == [1, 2]


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
