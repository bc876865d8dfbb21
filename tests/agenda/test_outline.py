from pathlib import Path

import pytest

from agenda import queries
from agenda.models import AgendaVersion
from agenda.numbering import flatten, letter
from agenda.outline import OutlineError, parse_outline
from tests.agenda.conftest import load_outline

ANNEX_B = (Path(__file__).parent / "annex_b_2021.txt").read_text()


def labels(meeting):
    draft = AgendaVersion.objects.get(meeting=meeting, number=None)
    return [(node.label, node.title) for node in flatten(queries.agenda_tree(draft))]


def test_letter_counts_past_z():
    assert [letter(i) for i in (0, 1, 17, 25, 26, 27, 51, 52)] == ["a", "b", "r", "z", "aa", "ab", "az", "ba"]


def test_annex_b_pasted_builds_the_same_tree_and_numbers(meeting, secretariat):
    load_outline(meeting, ANNEX_B, by=secretariat)

    found = labels(meeting)
    top = [label for label, _title in found if " " not in label]
    assert top == [str(n) for n in range(1, 11)]
    assert [label for label, _ in found if label.startswith("2 ")] == [f"2 {c})" for c in "abcdef"]
    assert [label for label, _ in found if label.startswith("6 ")] == [f"6 {c})" for c in "abcdefghijklmnopqr"]
    assert [label for label, _ in found if label.startswith("3 ")] == [f"3 {c})" for c in "abcdefghijklmn"]
    assert found[0] == ("1", "Opening of the meeting and welcome")
    assert found[-1] == ("10", "Closing")
    assert ("2 a)", "Report of the 20-30 April 2021 SG17 meeting") in found
    assert ("6 r)", "Highlights of achievements") in found
    # The bullets of 4 f) and 4 g) are a level further down, in order.
    four = [(label, title) for label, title in found if label.startswith("4 f)") or label.startswith("4 g)")]
    assert four == [
        ("4 f)", "SG17 JCAs"),
        ("4 f) ·", "JCA-IdM"),
        ("4 f) ·", "JCA-CoP"),
        ("4 g)", "SG17 Regional Groups"),
        ("4 g) ·", "SG17RG-AFR"),
        ("4 g) ·", "SG17RG-ARB"),
    ]
    assert len(found) == 10 + 6 + 14 + 9 + 7 + 18 + 4


def test_annex_b_title_lines_are_skipped_and_numbers_agree():
    outline = parse_outline(ANNEX_B)

    assert [text for _line, text in outline.skipped] == [
        "ANNEX B",
        "Agenda for Plenary Meeting of ITU-T SG17",
        "Virtual, 24 August – 3 September 2021",
        "NOTE - Updates to the agenda can be found in TD3779",
        "_____________________",
    ]
    assert outline.warnings == []
    assert outline.items[2].children[1].title == "Relations with other lead study groups"  # trailing space gone


def test_outline_free_lines_become_the_description():
    outline = parse_outline("1. Opening\nby the chair\nand the TSB director\n2. Closing")

    assert outline.items[0].description == "by the chair\nand the TSB director"
    assert outline.items[1].title == "Closing"


def test_outline_decimal_numbers_are_sub_items():
    outline = parse_outline("1) Opening\n1.1 Welcome\n1.2. Agenda\n2 Closing")

    assert [(i.title, [c.title for c in i.children]) for i in outline.items] == [
        ("Opening", ["Welcome", "Agenda"]),
        ("Closing", []),
    ]


def test_outline_numbers_out_of_order_are_warned_and_renumbered():
    outline = parse_outline("1. Opening\n3. Closing\na) Thanks\nc) Bye")

    assert outline.warnings == [
        "Line 2 is written “3” but is numbered 2 from its place.",
        "Line 4 is written “c)” but is numbered b) from its place.",
    ]


def test_outline_sub_item_before_any_item_is_refused():
    with pytest.raises(OutlineError) as error:
        parse_outline("Agenda\na) Report\n1. Opening")

    assert str(error.value) == "Line 2: sub-item “a) Report” comes before any numbered item."


def test_outline_without_items_is_refused():
    with pytest.raises(OutlineError) as error:
        parse_outline("Agenda of the meeting\nto be announced")

    assert str(error.value).startswith("No numbered item was found")
