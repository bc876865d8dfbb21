import pytest

from agenda import queries, services
from agenda.models import AgendaItem, AgendaVersion
from agenda.numbering import flatten
from tests.factories import MeetingFactory, QuestionFactory, UserFactory


def draft(meeting):
    return AgendaVersion.objects.get(meeting=meeting, number=None)


def outline(meeting):
    return [(node.label, node.title) for node in flatten(queries.agenda_tree(draft(meeting)))]


def item(meeting, title):
    return AgendaItem.objects.get(version__meeting=meeting, version__number=None, title=title)


def shift(meeting, title, direction, by):
    return services.shift_agenda_item(
        item(meeting, title), revision=draft(meeting).revision, by=by, direction=direction
    )


def test_shift_up_renumbers_the_siblings(small_agenda, secretariat):
    shift(small_agenda, "Coordination", "up", secretariat)

    assert outline(small_agenda) == [
        ("1", "Opening"),
        ("2", "Coordination"),
        ("2 a)", "JCAs"),
        ("3", "Results"),
        ("3 a)", "Report"),
        ("3 b)", "AAP"),
        ("4", "Closing"),
    ]


def test_indent_makes_the_item_the_last_sub_item_of_the_one_before(small_agenda, secretariat):
    shift(small_agenda, "Coordination", "indent", secretariat)

    assert outline(small_agenda)[2:6] == [
        ("2 a)", "Report"),
        ("2 b)", "AAP"),
        ("2 c)", "Coordination"),
        ("2 c) ·", "JCAs"),
    ]


def test_outdent_puts_the_item_right_after_its_parent(small_agenda, secretariat):
    shift(small_agenda, "Report", "outdent", secretariat)

    assert outline(small_agenda)[:5] == [
        ("1", "Opening"),
        ("2", "Results"),
        ("2 a)", "AAP"),
        ("3", "Report"),
        ("4", "Coordination"),
    ]


def test_shift_impossible_steps_are_refused(small_agenda, secretariat):
    for title, direction in [("Opening", "up"), ("Closing", "down"), ("Opening", "indent"), ("Opening", "outdent")]:
        with pytest.raises(services.InvalidMove):
            shift(small_agenda, title, direction, secretariat)

    assert draft(small_agenda).revision == 1


def test_move_places_the_item_under_a_new_parent_at_an_index(small_agenda, secretariat):
    services.move_agenda_item(
        item(small_agenda, "Closing"),
        revision=1,
        by=secretariat,
        parent=item(small_agenda, "Results"),
        index=1,
    )

    assert outline(small_agenda)[1:5] == [("2", "Results"), ("2 a)", "Report"), ("2 b)", "Closing"), ("2 c)", "AAP")]
    assert [
        i.position for i in AgendaItem.objects.filter(version__meeting=small_agenda, parent=None).order_by("position")
    ] == [0, 1, 2]


def test_move_under_itself_or_a_sub_item_is_refused(small_agenda, secretariat):
    results = item(small_agenda, "Results")
    with pytest.raises(services.InvalidMove):
        services.move_agenda_item(results, revision=1, by=secretariat, parent=item(small_agenda, "Report"), index=0)
    with pytest.raises(services.InvalidMove):
        services.move_agenda_item(results, revision=1, by=secretariat, parent=results, index=0)


def test_delete_removes_sub_items_and_closes_the_gap(small_agenda, secretariat):
    services.delete_agenda_item(item(small_agenda, "Results"), revision=1, by=secretariat)

    assert outline(small_agenda) == [("1", "Opening"), ("2", "Coordination"), ("2 a)", "JCAs"), ("3", "Closing")]


def test_add_item_with_questions_under_a_parent(small_agenda, secretariat):
    q4 = QuestionFactory(number=4)

    added = services.add_agenda_item(
        small_agenda,
        revision=1,
        by=secretariat,
        parent=item(small_agenda, "Coordination"),
        title="Q4/17 report",
        working_party="WP2/17",
        questions=[q4],
    )

    assert outline(small_agenda)[5:7] == [("3 a)", "JCAs"), ("3 b)", "Q4/17 report")]
    assert list(added.questions.all()) == [q4]


def test_stale_revision_is_refused_naming_who_changed_it_and_when(small_agenda, secretariat):
    colleague = UserFactory(given_name="Ana", family_name="Lopez")
    opened_at = draft(small_agenda).revision
    shift(small_agenda, "Closing", "up", colleague)  # the colleague saves first

    with pytest.raises(services.StaleDraft) as error:
        services.update_agenda_item(item(small_agenda, "Opening"), revision=opened_at, by=secretariat, title="Welcome")

    message = str(error.value)
    assert message.startswith("Not saved: the draft was changed by Ana Lopez at ")
    assert "Reload the page" in message
    assert item(small_agenda, "Opening").title == "Opening"
    assert draft(small_agenda).changed_by == colleague


def test_items_of_a_published_version_cannot_be_edited(small_agenda, secretariat):
    version = services.publish_agenda(small_agenda, revision=1, by=secretariat)
    frozen = version.items.get(title="Opening")

    with pytest.raises(AgendaItem.DoesNotExist):
        services.update_agenda_item(frozen, revision=1, by=secretariat, title="Changed")

    assert version.items.get(pk=frozen.pk).title == "Opening"


def test_outline_replace_swaps_the_items_and_append_adds_after(small_agenda, secretariat):
    from agenda.outline import parse_outline

    services.import_outline(small_agenda, revision=1, by=secretariat, outline=parse_outline("1. Extra"), replace=False)
    assert outline(small_agenda)[-1] == ("5", "Extra")

    services.import_outline(small_agenda, revision=2, by=secretariat, outline=parse_outline("1. Only"), replace=True)
    assert outline(small_agenda) == [("1", "Only")]


def test_drafts_of_two_meetings_are_separate(small_agenda, secretariat):
    other = MeetingFactory()
    services.add_agenda_item(other, revision=0, by=secretariat, title="Elsewhere")

    assert outline(other) == [("1", "Elsewhere")]
    assert len(outline(small_agenda)) == 7
