"""Free text: invisible and control characters gone from titles and names, lengths limited with a clear message."""

import pytest
from django.urls import reverse

from documents import services
from documents.models import ABSTRACT_MAX_LENGTH, Document
from sg17portal.text import clean_line, clean_paragraphs
from tests.documents.factories import upload


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Draft \u202egpj.exe", "Draft gpj.exe"),  # right-to-left override
        ("\u2066Q4/17\u2069 report\u200e", "Q4/17 report"),  # isolates and a left-to-right mark
        ("Hana\u200b Kim\ufeff", "Hana Kim"),  # zero-width space, byte-order mark
        ("Line one\nline\ttwo\u2028three\x00\x1b[31m", "Line one line two three[31m"),
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),  # ZWNJ
        ("Cafe\u0301", "Caf\u00e9"),  # composed form
    ],
)
def test_a_line_keeps_only_visible_text(typed, kept):
    assert clean_line(typed) == kept


def test_paragraphs_keep_their_line_breaks_and_lose_the_rest():
    assert clean_paragraphs("First\r\nsecond\u202e\x07\u2029third\t.\n") == "First\nsecond\n\nthird\t."


def test_a_title_given_to_a_service_is_stored_without_bidi_controls(meeting, member, entity):
    document = services.post_contribution(
        meeting, entity=entity, title="Proposal\u202e for X.509\u200b", files=[upload()], by=member
    )
    document.refresh_from_db()
    assert document.title == "Proposal for X.509"


def test_an_abstract_of_four_megabytes_is_refused_with_the_limit_and_nothing_posted(client, meeting, member, entity):
    client.force_login(member)
    response = client.post(
        reverse("documents:post_contribution", args=[meeting.pk]),
        {"entity": entity.pk, "title": "Big", "abstract": "x" * (4 * 1024 * 1024), "files": [upload()]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["abstract"] == [
        f"This is too long: at most {ABSTRACT_MAX_LENGTH} characters, and it has {4 * 1024 * 1024}."
    ]
    assert 'value="Big"' in response.content.decode()  # what was typed stays
    assert Document.objects.count() == 0


def test_a_title_of_invisible_characters_only_is_missing(client, meeting, member, entity):
    client.force_login(member)
    response = client.post(
        reverse("documents:post_contribution", args=[meeting.pk]),
        {"entity": entity.pk, "title": "\u202e\u200b\u2066", "files": [upload()]},
    )
    assert response.context["form"].errors["title"] == ["Enter the title."]
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_names_in_the_profile_lose_invisible_characters(client, delegate):
    client.force_login(delegate)
    client.post(
        reverse("profile"),
        {
            "given_name": "Da\u200bniel",
            "family_name": "\u202eOkafor",
            "gender": "male",
            "time_zone": "Europe/Zurich",
            "language": "en",
        },
    )
    delegate.refresh_from_db()
    assert (delegate.given_name, delegate.family_name) == ("Daniel", "Okafor")


@pytest.mark.parametrize(
    ("form", "field", "limit"),
    [("TdDraftDeclineForm", "reason", 1000), ("TdDraftForm", "message", 20000)],
)
def test_free_text_of_the_td_queue_forms_is_limited_with_a_clear_message(form, field, limit):
    from documents import forms

    bound = getattr(forms, form)({field: "y" * (limit + 1)})
    bound.is_valid()
    assert bound.errors[field] == [f"This is too long: at most {limit} characters, and it has {limit + 1}."]
