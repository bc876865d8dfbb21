"""The six ITU languages: pages, switcher, mails, the meeting's own texts and the letter's PDFs."""

import datetime
import html.parser
import re
import subprocess

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, translation

from meetings.models import Meeting, MeetingText
from meetings.services import keep_issued_letter
from notifications.models import OutgoingMail
from registration import services as registration_services
from registration.models import Affiliation
from sg17portal.dates import format_date
from tests.factories import AffiliationFactory, MemberEntityFactory, UserFactory, open_meeting

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DIRECTION = {"ar": "rtl"}
# Words a catalog may keep as they are (names, abbreviations): too short to tell English from a translation.
SHORTEST_CHECKED = 12


def catalog(language: str) -> dict[str, str]:
    """English → translation, from the language's catalog."""
    path = settings.BASE_DIR / "locale" / translation.to_locale(language) / "LC_MESSAGES" / "django.po"
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path)) if entry.msgstr}


def english_fragments(language: str) -> set[str]:
    """The catalog's English texts whose translation differs, cut at their placeholders and tags: none of them may
    appear on a page in ``language``."""
    fragments = set()
    for msgid, msgstr in catalog(language).items():
        if msgid == msgstr:
            continue
        for fragment in re.split(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|\{\w*\}|\n", msgid):
            fragment = fragment.strip(" .,:;()")
            if len(fragment) >= SHORTEST_CHECKED and " " in fragment and fragment not in msgstr:
                fragments.add(fragment)
    return fragments


class VisibleText(html.parser.HTMLParser):
    """The text a reader gets: element text outside scripts and styles, and the labels given in attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        self.parts.extend(value for name, value in attrs if name in ("aria-label", "title", "alt", "placeholder"))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = VisibleText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def world():
    """An announced meeting with an issued letter and a document, and a confirmed member who may register."""
    meeting = open_meeting(letter_reference="TSB Collective letter 12/17", letter_date=datetime.date.today())
    keep_issued_letter(meeting, by=None)
    entity = MemberEntityFactory(name="Secure Networks AG", country="KR")
    member = UserFactory(email="member@example.org", given_name="Hana", family_name="Kim")
    AffiliationFactory(user=member, entity=entity, state=Affiliation.State.APPROVED)
    return meeting, member


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_key_pages_have_no_english_left_and_the_right_lang_and_dir(client, world, language):
    meeting, member = world
    client.force_login(member)
    with translation.override(language):
        urls = [
            reverse("home"),
            reverse("meetings:detail", kwargs={"pk": meeting.pk}),
            reverse("registration:register", kwargs={"meeting_pk": meeting.pk}),
            reverse("documents:list", kwargs={"meeting_pk": meeting.pk}),
            reverse("meetings:letter", kwargs={"pk": meeting.pk}),
        ]
    fragments = english_fragments(language)
    assert len(fragments) > 500  # the comparison has something to compare with
    for url in urls:
        assert url.startswith(f"/{language}/")
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert f'<html lang="{language}" dir="{DIRECTION.get(language, "ltr")}">' in page, url
        text = visible_text(page)
        left = sorted(fragment for fragment in fragments if fragment in text)
        assert left == [], f"{url} still shows English: {left}"


def test_english_is_at_the_bare_address_and_other_languages_under_their_prefix(client, world):
    meeting, _member = world
    english = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk}))
    assert english.status_code == 200
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert "Cookie" in english["Vary"]
    assert "Accept-Language" in english["Vary"]
    arabic = client.get(f"/ar/meetings/{meeting.pk}/")
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()
    assert "bootstrap.rtl.min.css" in arabic.content.decode()


def test_first_visit_follows_the_browser_and_the_switcher_overrides_it_for_good(client, world):
    meeting, _member = world
    page = reverse("meetings:detail", kwargs={"pk": meeting.pk})

    first = client.get(page, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert (first.status_code, first["Location"]) == (302, f"/es{page}")
    spanish = client.get(first["Location"], HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert '<html lang="es"' in spanish
    assert catalog("es")["Key deadlines"] in spanish

    switched = client.post(reverse("set_language"), {"language": "en", "next": f"/es{page}"})
    assert (switched.status_code, switched["Location"]) == (302, page)
    again = client.get(page, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert again.status_code == 200  # the choice beats the browser's
    assert '<html lang="en"' in again.content.decode()

    client.post(reverse("set_language"), {"language": "zh-hans", "next": page})
    assert client.get(page)["Location"] == f"/zh-hans{page}"


def test_switcher_refuses_foreign_next_addresses_and_unknown_languages(client):
    answer = client.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example.org/"})
    assert answer["Location"] == "/fr/"
    unknown = client.post(reverse("set_language"), {"language": "xx", "next": "/meetings/"})
    assert unknown["Location"] == "/meetings/"
    assert "language" not in unknown.cookies
    assert client.get(reverse("set_language")).status_code == 405


def test_a_signed_in_persons_profile_language_wins_and_the_switcher_updates_it(client, world):
    _meeting, member = world
    member.language = "ru"
    member.save()
    client.force_login(member)
    assert client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/ru/meetings/"
    client.post(reverse("set_language"), {"language": "ar", "next": "/ru/meetings/"})
    member.refresh_from_db()
    assert member.language == "ar"


def test_mails_follow_the_recipients_language_and_a_change_applies_to_the_next_mail_only(world):
    meeting, member = world
    member.language = "fr"
    member.save()
    entity = member.affiliations.get().entity
    registration = registration_services.register(meeting, delegate=member, entity=entity, by=member)
    received = OutgoingMail.objects.get(dedupe_key=f"registration:{registration.pk}:received")
    french_subject = catalog("fr")["Registration received: %(meeting)s"].split("%(meeting)s")[0].strip()
    assert french_subject
    assert french_subject in received.subject

    member.language = "es"
    member.save()
    registration_services.approve_registration(registration, by=UserFactory())
    approved = OutgoingMail.objects.get(dedupe_key__endswith="approved", recipient=member.email)
    spanish_subject = catalog("es")["Registration approved: %(meeting)s"].split("%(meeting)s")[0].strip()
    assert spanish_subject in approved.subject
    received.refresh_from_db()
    assert french_subject in received.subject  # the queued mail stays as it was rendered


def test_the_secretariats_text_in_a_language_replaces_the_english_one_which_is_otherwise_marked(
    client, secretariat, world
):
    meeting, _member = world
    Meeting.objects.filter(pk=meeting.pk).update(practical_information="Bring your own adapter.")
    client.force_login(secretariat)
    url = reverse("meetings:texts", kwargs={"pk": meeting.pk, "language": "fr"})
    saved = client.post(url, {"title": "", "practical_information": "Apportez votre adaptateur.", "draft_agenda": ""})
    assert saved.status_code == 302
    assert MeetingText.objects.get(meeting=meeting, language="fr").practical_information == (
        "Apportez votre adaptateur."
    )
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.ANNOUNCED)
    meeting.letter_issues.all().delete()  # read the letter from the data, not as kept

    french = client.get(f"/fr/meetings/{meeting.pk}/letter/").content.decode()
    assert "Apportez votre adaptateur." in french
    assert "Bring your own adapter." not in french
    spanish = client.get(f"/es/meetings/{meeting.pk}/letter/").content.decode()
    assert "Bring your own adapter." in spanish
    assert 'id="letter-english-fallbacks"' in spanish
    assert client.get(reverse("meetings:texts", kwargs={"pk": meeting.pk, "language": "en"})).status_code == 404


def pdf_text(content: bytes, *options: str) -> str:
    result = subprocess.run(["pdftotext", *options, "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


@pytest.mark.parametrize("language", ["ar", "zh-hans"])
def test_arabic_and_chinese_letter_pdfs_carry_their_words_and_dates(client, world, language):
    meeting, _member = world
    words = catalog(language)
    pdf = client.get(f"/{language}/meetings/{meeting.pk}/letter.pdf").content
    text = pdf_text(pdf)
    for english in ("INTERNATIONAL TELECOMMUNICATION UNION", "TELECOMMUNICATION STANDARDIZATION BUREAU"):
        # pdftotext reads the lam-alef ligature back as alef-lam: compare the words without it.
        expected = [word for word in words[english].split() if "لا" not in word]
        assert expected
        assert all(word in text for word in expected), (expected, text[:300])
    with translation.override(language):
        first_day, month = format_date(meeting.first_day), dateformat.format(meeting.first_day, "F")
    if language == "zh-hans":
        assert first_day in text  # "2027年3月2日"
    else:  # pdftotext may reorder the parts of a right-to-left date: its month's name and its year
        assert not month.isascii()
        assert month in text
        assert str(meeting.first_day.year) in text


def test_the_arabic_letter_pdf_is_laid_out_right_to_left(client, world):
    meeting, _member = world

    def aligned_edges(prefix):
        pdf = client.get(f"{prefix}/meetings/{meeting.pk}/letter.pdf").content
        lines = re.findall(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', pdf_text(pdf, "-bbox-layout"))
        starts = [round(float(x_min)) for x_min, _x_max in lines]
        ends = [round(float(x_max)) for _x_min, x_max in lines]
        # How many lines share the most common left edge, and the most common right edge.
        return max(map(starts.count, starts)), max(map(ends.count, ends))

    arabic_left, arabic_right = aligned_edges("/ar")
    english_left, english_right = aligned_edges("")
    assert arabic_right > arabic_left  # the Arabic text is flush right
    assert english_left > english_right  # and the English flush left, from the same data
