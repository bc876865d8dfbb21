from agenda import queries, services
from agenda.diff import diff_agendas
from agenda.models import AgendaItem, AgendaVersion


def draft_item(meeting, title):
    return AgendaItem.objects.get(version__meeting=meeting, version__number=None, title=title)


def revision(meeting):
    return AgendaVersion.objects.get(meeting=meeting, number=None).revision


def tree(meeting, number):
    return queries.agenda_tree(AgendaVersion.objects.get(meeting=meeting, number=number))


def test_diff_names_exactly_added_removed_renamed_moved(small_agenda, secretariat):
    meeting = small_agenda
    services.publish_agenda(meeting, revision=revision(meeting), by=secretariat)
    # Move "Coordination" (3) before "Results" (2); rename "Report"; remove "AAP"; add "Any other business".
    services.shift_agenda_item(
        draft_item(meeting, "Coordination"), revision=revision(meeting), by=secretariat, direction="up"
    )
    report = draft_item(meeting, "Report")
    services.update_agenda_item(report, revision=revision(meeting), by=secretariat, title="Report of the last meeting")
    services.delete_agenda_item(draft_item(meeting, "AAP"), revision=revision(meeting), by=secretariat)
    services.add_agenda_item(meeting, revision=revision(meeting), by=secretariat, title="Any other business")
    services.publish_agenda(meeting, revision=revision(meeting), by=secretariat)

    changes = diff_agendas(tree(meeting, 1), tree(meeting, 2))

    assert [(n.label, n.title) for n in changes.added] == [("5", "Any other business")]
    assert [(n.label, n.title) for n in changes.removed] == [("2 b)", "AAP")]
    assert [(c.old_label, c.new_label, c.old_title, c.new_title) for c in changes.renamed] == [
        ("2 a)", "3 a)", "Report", "Report of the last meeting")
    ]
    assert [(c.new_title, c.old_label, c.new_label) for c in changes.moved] == [("Coordination", "3", "2")]
    assert changes.edited == []


def test_diff_moving_an_item_under_another_names_it_moved(small_agenda, secretariat):
    meeting = small_agenda
    services.publish_agenda(meeting, revision=revision(meeting), by=secretariat)
    services.shift_agenda_item(
        draft_item(meeting, "Coordination"), revision=revision(meeting), by=secretariat, direction="indent"
    )

    changes = diff_agendas(
        tree(meeting, 1), queries.agenda_tree(AgendaVersion.objects.get(meeting=meeting, number=None))
    )

    assert [(c.new_title, c.old_label, c.new_label) for c in changes.moved] == [("Coordination", "3", "2 c)")]
    assert changes.added == changes.removed == changes.renamed == []


def test_diff_of_identical_versions_is_empty(small_agenda, secretariat):
    services.publish_agenda(small_agenda, revision=revision(small_agenda), by=secretariat)

    changes = diff_agendas(tree(small_agenda, 1), tree(small_agenda, None))

    assert not changes


def test_diff_description_change_is_an_edit_not_a_rename(small_agenda, secretariat):
    meeting = small_agenda
    services.publish_agenda(meeting, revision=revision(meeting), by=secretariat)
    item = draft_item(meeting, "Opening")
    services.update_agenda_item(
        item, revision=revision(meeting), by=secretariat, title="Opening", description="At 10:00"
    )

    changes = diff_agendas(tree(meeting, 1), tree(meeting, None))

    assert [(c.new_label, c.new_title) for c in changes.edited] == [("1", "Opening")]
    assert changes.renamed == changes.moved == []
