"""Under production's static storage (hashed names and a manifest) every PDF still carries its print stylesheet.

What only the stylesheets produce is looked for in the PDF: the running page counter "N / M" at the bottom of
the pages and, for the time plan, its landscape pages.
"""

import re
import subprocess

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client
from django.utils.functional import empty

from agenda import services as agenda_services
from meetings.pdf import letter_pdf, static_only_fetcher
from meetings.queries import meeting_with_details
from registration.pdf import render_participants, render_visa_letter
from tests.agenda.conftest import SMALL_AGENDA, load_outline
from tests.agenda.factories import add_session, make_member
from tests.factories import MeetingFactory, MemberEntityFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

THIRD_PARTY_STATIC = {"django.contrib.admin", "bootstrap", "django_countries", "allauth", "allauth.account"}
PAGE_COUNTER = re.compile(r"^\s*\d+ ?/ ?\d+\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    return tmp_path_factory.mktemp("static")


@pytest.fixture
def manifest_static(settings, collected):
    """Production's manifest storage over the portal's own static files (the third-party ones are left out: they
    take minutes to hash and no PDF uses them)."""
    settings.STATIC_ROOT = collected
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app not in THIRD_PARTY_STATIC]
    if not (collected / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)
    yield
    staticfiles_storage._wrapped = empty


def pdf_text(content: bytes, tmp_path, *flags) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", *flags, str(path), "-"], check=True, capture_output=True, text=True).stdout


def page_sizes(content: bytes, tmp_path) -> set[str]:
    path = tmp_path / "size.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return set(re.findall(r"Page size:\s+([\d.]+ x [\d.]+) pts", info))


def test_the_fetcher_reads_the_hashed_name_the_manifest_gives(manifest_static):
    hashed = staticfiles_storage.url("agenda/pdf.css")
    assert re.search(r"/static/agenda/pdf\.[0-9a-f]{12}\.css$", hashed)
    response = static_only_fetcher().fetch(f"http://127.0.0.1:8000{hashed}")
    assert b"@page" in response.read()


def test_letter_pdf_has_its_page_counter(manifest_static, tmp_path, secretariat):
    meeting = MeetingFactory(letter_reference="TSB Collective letter 1/17")
    load_outline(meeting, SMALL_AGENDA, by=secretariat)
    pdf = letter_pdf(meeting_with_details().get(pk=meeting.pk))
    assert PAGE_COUNTER.search(pdf_text(pdf, tmp_path))


def test_agenda_and_time_plan_pdfs_have_their_page_counter_and_layout(manifest_static, tmp_path, secretariat):
    meeting = MeetingFactory()
    load_outline(meeting, SMALL_AGENDA, by=secretariat)
    agenda_services.publish_agenda(meeting, revision=1, by=secretariat, note="")
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Opening plenary")
    agenda_services.publish_time_plan(meeting, revision=1, by=secretariat)
    client = Client()
    client.force_login(make_member(UserFactory(), meeting))

    agenda = client.get(f"/meetings/{meeting.pk}/agenda/v1.pdf").content
    time_plan = client.get(f"/meetings/{meeting.pk}/time-plan/v1.pdf").content

    assert PAGE_COUNTER.search(pdf_text(agenda, tmp_path))
    assert PAGE_COUNTER.search(pdf_text(time_plan, tmp_path))
    assert page_sizes(time_plan, tmp_path) == {"841.89 x 595.276"}  # A4 landscape, from the stylesheet


def test_participants_and_visa_letter_pdfs_have_their_page_counter(manifest_static, tmp_path):
    meeting = MeetingFactory(format="hybrid", venue="ITU headquarters, Geneva")
    entity = MemberEntityFactory()
    RegistrationFactory(meeting=meeting, entity=entity, state="approved")
    visa = RegistrationFactory(
        meeting=meeting, entity=entity, state="approved", visa_support_requested=True, passport_number="A1"
    )
    assert PAGE_COUNTER.search(pdf_text(render_participants(meeting), tmp_path))
    assert PAGE_COUNTER.search(pdf_text(render_visa_letter(visa), tmp_path))
