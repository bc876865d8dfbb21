"""Every PDF the portal generates is tagged (PDF/UA-1), names its language and title, and reads in page order."""

import re
import subprocess
import zlib

import pytest
from django.test import Client
from django.urls import resolve

from meetings.pdf_jobs import render_job
from tests.e2e.accessibility import NOT_PAGES, build_world, file_urls

pytestmark = pytest.mark.django_db


def pdf_info(content: bytes) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return {key.strip(): value.strip() for key, _sep, value in (line.partition(":") for line in output.splitlines())}


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def _uncompressed(content: bytes) -> bytes:
    """The PDF with its compressed streams inflated, so that the catalog's entries can be read.

    Each stream is taken with the end of line before ``endstream``, which the inflater leaves over: a compressed
    stream may end in a carriage return byte (about one in 256), which cutting the end of line off would cut too."""
    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.DOTALL):
        try:
            parts.append(zlib.decompressobj().decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


def in_order(text: str, phrases: list[str]) -> list[str]:
    """The phrases found one after the other in ``text``; equal to ``phrases`` when the order is the page's."""
    found, position = [], 0
    for phrase in phrases:
        index = text.find(phrase, position)
        if index < 0:
            break
        found.append(phrase)
        position = index + len(phrase)
    return found


# What a reader meets, in the order the page shows it: pdftotext follows the content's reading order.
READING_ORDER = {
    "meetings:letter_pdf": [
        "INTERNATIONAL TELECOMMUNICATION UNION",
        "Ref:",
        "Subject:",
        "Dear Sir/Madam,",
        "Key deadlines:",
        "Registration",
        "ANNEX A",
    ],
    "registration:visa_letter": ["Subject", "To whom it may concern,", "A1234567", "Yours faithfully,"],
    # The list of participants, made by a worker and fetched from its job.
    "meetings:pdf_job_file": ["List of participants", "Republic of Korea", "KIM Hana", "Remote"],
    "agenda:agenda_pdf": ["Opening", "Results", "Report", "AAP", "Coordination", "JCAs", "Closing"],
    "agenda:agenda_draft_pdf": ["Opening", "Results", "Report", "AAP", "Coordination", "JCAs", "Closing"],
    "agenda:time_plan_pdf": ["10:00", "12:00", "Opening plenary"],
    "agenda:time_plan_draft_pdf": ["10:00", "12:00", "Opening plenary"],
}


@pytest.fixture
def pdfs(secretariat, media_root):
    """Each PDF the portal generates, fetched by the secretariat (who may fetch them all), by URL name."""
    world = build_world(secretariat)
    client = Client()
    client.force_login(secretariat)
    answers = {}
    render_job(world["participants_job"].pk)  # what the worker does for a long PDF
    for url in file_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"] == "application/pdf":
            answers[resolve(url).view_name] = b"".join(response) if response.streaming else response.content
    return world, answers


def test_every_generated_pdf_is_tagged_with_title_and_language_and_reads_in_page_order(pdfs):
    _world, answers = pdfs
    # The uploaded files (documents:file) are the posters' own; every other PDF is made by the portal.
    generated = {name: content for name, content in answers.items() if name != "documents:file"}
    made_by_the_portal = {"registration:visa_letter", "meetings:pdf_job_file"}
    assert sorted(generated) == sorted(name for name in NOT_PAGES if name.endswith("pdf") or name in made_by_the_portal)
    infos = {name: pdf_info(content) for name, content in generated.items()}
    assert {name: info["Tagged"] for name, info in infos.items()} == dict.fromkeys(generated, "yes")
    assert [name for name, info in infos.items() if not info.get("Title")] == []
    assert [name for name, content in generated.items() if b"/Lang (en)" not in _uncompressed(content)] == []
    found = {name: in_order(pdf_text(generated[name]), phrases) for name, phrases in READING_ORDER.items()}
    assert found == READING_ORDER
