"""The collective letter, page and PDF, checked against the reference letter of the 2021 virtual meeting."""

import datetime
import re
import subprocess

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from meetings import demo, extensions, queries
from meetings.models import Meeting
from meetings.pdf import letter_cache_key, letter_html, static_only_fetcher
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) (\d{{4}})\b")
JCA_IDM_REGISTRATION = "https://www.itu.int/net4/CRM/xreg/web/Registration.aspx?Event=C-00009903"


@pytest.fixture
def reference_meeting():
    demo.load()
    return Meeting.objects.get(first_day=datetime.date(2021, 8, 24))


def _words(text: str) -> str:
    return " ".join(text.split())


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return _words(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout)


def _page_text(client, meeting) -> str:
    html = client.get(reverse("meetings:letter", kwargs={"pk": meeting.pk})).content.decode()
    letter = html[html.index('<article class="collective-letter"') : html.index("</article>")]
    # Line and cell ends read as spaces, as they do in the PDF's text.
    letter = re.sub(r"<(br|/p|/td|/th|/li|/h\d|/tr|/div)\b", r" <\1", letter)
    return _words(strip_tags(letter).replace("&amp;", "&"))


def _dates(text: str) -> set[str]:
    return {" ".join(match) for match in DATE.findall(text)}


def test_letter_page_follows_the_reference_letter(client, reference_meeting):
    text = _page_text(client, reference_meeting)
    expected_in_order = [
        "INTERNATIONAL TELECOMMUNICATION UNION",
        "TELECOMMUNICATION STANDARDIZATION BUREAU",
        "Geneva, 21 May 2021",
        "Ref: TSB Collective letter 12/17 SG17/XY",
        "To Administrations of Member States of the Union;",
        "To ITU-T Sector Members;",
        "To ITU-T Associates of Study Group 17;",
        "To ITU Academia",
        "Tel: +41 22 730 6206",
        "Fax: +41 22 730 5853",
        "E-mail: tsbsg17@itu.int",
        "Web: http://itu.int/go/tsg17",
        "Subject: Virtual meeting of Study Group 17, 24 August – 3 September 2021",
        "Dear Sir/Madam,",
        "It is my pleasure to invite you to attend the next meeting of ITU-T Study Group 17 (Security), which will be "
        "held virtually from 24 August to 3 September 2021, inclusive.",
        "Note that no fellowships will be awarded, and the entire meeting will run in English only with no "
        "interpretation but with captioning for the SG17 closing plenary on 3 September 2021.",
        "The meeting will be held at 10:00-16:00 hours, Geneva time, every day from Monday to Friday using the "
        "MyMeetings remote participation tool.",
        "A tutorial on ‘SG17 Overview for Newcomers’ will be held at 10:00-11:00 hours, Geneva time, on Monday "
        "23 August 2021",
        "The open extended SG17 management team meeting will be held at 13:00-15:00 hours, Geneva time, on Monday "
        "23 August 2021",
        "Key deadlines: 24 June 2021 – Submit ITU-T Member contributions for which translation is requested "
        "24 July 2021 – Registration (via the online registration form on the SG17 homepage) "
        "11 August 2021 – Submit ITU-T Member contributions (via Direct Document Posting)",
        "prepared in agreement with the Chairman of the study group, Mr Heung-Youl Youm (Republic of Korea), is set "
        "out in Annex B.",
        "Please also be informed that: The 28th JCA-IdM meeting will be held at 14:30-16:00 hours, Geneva time, on "
        f"Friday 27 August 2021. Kindly register separately for this meeting at: {JCA_IDM_REGISTRATION}.",
        "I wish you a productive and enjoyable meeting.",
        "Yours faithfully, Chaesub Lee Director of the Telecommunication Standardization Bureau",
        "Annexes: 2",
        "ANNEX A Practical meeting information",
        "WORKING LANGUAGE: The entire meeting will run in English only",
        "INTERACTIVE REMOTE PARTICIPATION: The MyMeetings tool will be used",
        "Without confirmed registration, delegates will not be able to access the MyMeetings remote participation "
        "tool.",
        "NEW DELEGATES, FELLOWSHIPS AND VISA SUPPORT: For virtual meetings, since there is no travel involved, no "
        "fellowships are provided and visa support is not applicable.",
        "ANNEX B Agenda for Plenary Meeting of ITU-T SG17 Virtual, 24 August – 3 September 2021",
        "NOTE - Updates to the agenda can be found in TD3779",
        "1. Opening of the meeting and welcome",
        "a) Report of the 20-30 April 2021 SG17 meeting",
        "· JCA-IdM",
        "10. Closing",
    ]
    positions = [text.find(part) for part in expected_in_order]
    assert [part for part, at in zip(expected_in_order, positions, strict=True) if at < 0] == []
    assert positions == sorted(positions)


def test_letter_page_links_the_separate_registration(client, reference_meeting):
    html = client.get(reverse("meetings:letter", kwargs={"pk": reference_meeting.pk})).content.decode()
    assert f'<a href="{JCA_IDM_REGISTRATION}">' in html


def test_letter_pdf_carries_reference_dates_and_each_deadline(client, reference_meeting, tmp_path):
    response = client.get(reverse("meetings:letter_pdf", kwargs={"pk": reference_meeting.pk}))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == 'inline; filename="sg17-meeting-2021-08-24-collective-letter.pdf"'
    text = _pdf_text(response.content, tmp_path)
    for part in (
        "TSB Collective letter 12/17",
        "SG17/XY",
        "Geneva, 21 May 2021",
        "Virtual meeting of Study Group 17, 24 August – 3 September 2021",
        "from 24 August to 3 September 2021, inclusive",
        "24 June 2021 – Submit ITU-T Member contributions for which translation is requested",
        "24 July 2021 – Registration",
        "11 August 2021 – Submit ITU-T Member contributions (via Direct Document Posting)",
        "visa support is not applicable",
        "Chaesub Lee",
    ):
        assert text.count(part) >= 1, part


def test_letter_pdf_has_the_same_dates_as_the_page(client, reference_meeting, tmp_path):
    page = _page_text(client, reference_meeting)
    pdf = _pdf_text(client.get(reverse("meetings:letter_pdf", kwargs={"pk": reference_meeting.pk})).content, tmp_path)
    assert _dates(page) == {
        "21 May 2021",
        "3 September 2021",
        "23 August 2021",
        "27 August 2021",
        "24 June 2021",
        "24 July 2021",
        "11 August 2021",
        "30 April 2021",  # "Report of the 20-30 April 2021 SG17 meeting" in Annex B
    }
    assert _dates(pdf) == _dates(page)


def test_letter_pdf_kept_in_cache_under_the_hash_of_its_html(client, reference_meeting):
    url = reverse("meetings:letter_pdf", kwargs={"pk": reference_meeting.pk})
    first = client.get(url).content
    meeting = queries.meeting_with_details().get(pk=reference_meeting.pk)
    assert cache.get(letter_cache_key(letter_html(meeting))) == first
    assert client.get(url).content == first


def test_letter_pdf_changes_when_the_meeting_changes(client, reference_meeting, tmp_path):
    url = reverse("meetings:letter_pdf", kwargs={"pk": reference_meeting.pk})
    client.get(url)
    reference_meeting.contact_reference = "SG17/ZZ"
    reference_meeting.save(update_fields=["contact_reference"])
    assert "SG17/ZZ" in _pdf_text(client.get(url).content, tmp_path)


def test_letter_of_hybrid_meeting_has_venue_fellowships_and_visas(client):
    meeting = MeetingFactory(
        format=Meeting.Format.HYBRID,
        venue="ITU headquarters, Geneva",
        first_day=datetime.date(2027, 3, 16),
        last_day=datetime.date(2027, 3, 25),
    )
    text = _page_text(client, meeting)
    assert "which will be held at ITU headquarters, Geneva, with remote participation, from 16 to 25 March 2027" in text
    assert "2 February 2027 – Submit requests for fellowships" in text
    assert "16 February 2027 – Submit requests for visa support" in text
    assert "VISA SUPPORT: Participants who need a visa" in text
    assert "Requests must reach TSB by 2 February 2027 at the latest." in text
    assert "visa support is not applicable" not in text
    assert "Note that the entire meeting will run in English only" in text


def test_letter_annex_b_from_the_agenda_app_when_it_gives_one(client, monkeypatch):
    meeting = MeetingFactory(draft_agenda="1. The text field agenda")
    monkeypatch.setattr(extensions, "_annex_b_renderer", lambda m: mark_safe(f"<ol><li>Agenda of {m.pk}</li></ol>"))
    html = client.get(reverse("meetings:letter", kwargs={"pk": meeting.pk})).content.decode()
    assert f"<ol><li>Agenda of {meeting.pk}</li></ol>" in html
    assert "The text field agenda" not in html


def test_letter_annex_b_falls_back_to_draft_agenda(client, monkeypatch):
    meeting = MeetingFactory(draft_agenda="1. The text field agenda\na) A sub-item")
    monkeypatch.setattr(extensions, "_annex_b_renderer", lambda m: None)
    html = client.get(reverse("meetings:letter", kwargs={"pk": meeting.pk})).content.decode()
    assert '<p class="agenda-level-0">1. The text field agenda</p>' in html
    assert '<p class="agenda-level-1">a) A sub-item</p>' in html


def test_letter_of_draft_marked_as_draft(client, secretariat):
    meeting = MeetingFactory(state=Meeting.State.DRAFT)
    client.force_login(secretariat)
    html = client.get(reverse("meetings:letter", kwargs={"pk": meeting.pk})).content.decode()
    assert "Draft: this letter is not issued until the meeting is announced." in html
    assert "(given when the meeting is announced)" in html


def test_pdf_url_fetcher_serves_the_portal_static_files():
    fetcher = static_only_fetcher()
    response = fetcher.fetch(f"{settings.SITE_URL}/static/css/meetings-letter-print.css")
    assert (response.content_type, response.read()[:2]) == ("text/css", b"/*")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/evil.css",
        "file:///etc/passwd",
        f"{settings.SITE_URL}/static/../../etc/passwd",
        f"{settings.SITE_URL}/static/css/missing.css",
        f"{settings.SITE_URL}/admin/",
    ],
)
def test_pdf_url_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="static"):
        static_only_fetcher().fetch(url)


def test_an_issued_letter_is_rendered_once_then_served_from_storage(client, media_root):
    from django.core.files.storage import default_storage

    from meetings.pdf import issued_pdf_name
    from meetings.services import keep_issued_letter
    from tests.factories import open_meeting

    meeting = open_meeting(letter_reference="TSB Collective letter 12/17", letter_date=datetime.date.today())
    kept = keep_issued_letter(meeting, by=None)
    url = reverse("meetings:letter_pdf", kwargs={"pk": meeting.pk})
    first = client.get(url).content
    assert first.startswith(b"%PDF")
    name = issued_pdf_name(kept, letter_html(queries.meeting_with_details().get(pk=meeting.pk), kept=kept))
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == first
    # Served from the storage, not rendered again: what the storage holds is what the reader gets.
    with default_storage.open(name, "wb") as stored:
        stored.write(b"%PDF-1.7 kept as issued")
    cache.clear()
    assert client.get(url).content == b"%PDF-1.7 kept as issued"
    # Each language has its own file.
    french = client.get(f"/fr/meetings/{meeting.pk}/letter.pdf").content
    assert french.startswith(b"%PDF")
    assert french != first
    assert len(default_storage.listdir(f"letters/meeting-{meeting.pk}")[1]) == 2


def test_a_worker_renders_the_issued_letter_and_its_addenda_in_every_language_before_anyone_asks(
    client, media_root, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from meetings.pdf import store_issued_pdfs
    from meetings.services import announce_meeting, override_key_deadline
    from meetings.tasks import render_issued_pdfs

    languages = [code for code, _name in settings.LANGUAGES]
    meeting = MeetingFactory(state=Meeting.State.DRAFT, first_day=datetime.date.today() + datetime.timedelta(days=90))
    with django_capture_on_commit_callbacks() as callbacks:
        announce_meeting(meeting, by=None)
    kept, _addenda = queries.issued_letters(meeting)
    assert ("meetings.render_issued_pdfs", (kept.pk,)) in [getattr(callback, "args", None) for callback in callbacks]

    render_issued_pdfs(kept.pk)
    folder = f"letters/meeting-{meeting.pk}"
    names = default_storage.listdir(folder)[1]
    assert len(names) == len(languages)
    assert store_issued_pdfs(kept.pk) == 0  # rendered once

    deadline = meeting.deadlines.get(kind="registration")
    with django_capture_on_commit_callbacks(execute=True):
        override_key_deadline(deadline, day=deadline.day - datetime.timedelta(days=3), reason="Visas", by=None)
    _kept, addenda = queries.issued_letters(meeting)
    assert len(addenda) == 1
    render_issued_pdfs(addenda[0].pk)
    names = default_storage.listdir(folder)[1]
    assert len(names) == 2 * len(languages)

    # What each reader then gets is the stored file, whatever the language: no render in the web process.
    for name in names:
        with default_storage.open(f"{folder}/{name}", "wb") as stored:
            stored.write(f"%PDF-1.7 {name}".encode())
    cache.clear()
    served = set()
    for code in languages:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        for path in (f"/meetings/{meeting.pk}/letter.pdf", f"/meetings/{meeting.pk}/letter/addendum-1.pdf"):
            body = client.get(prefix + path).content
            assert body.decode().removeprefix("%PDF-1.7 ") in names
            served.add(body)
    assert len(served) == 2 * len(languages)
    assert len(default_storage.listdir(folder)[1]) == 2 * len(languages)
