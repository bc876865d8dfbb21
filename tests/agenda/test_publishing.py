import pytest

from agenda import queries, services
from agenda.models import AgendaItem, AgendaVersion
from notifications.models import OutgoingMail
from registration.models import Registration
from tests.agenda.factories import make_member
from tests.factories import QuestionFactory, UserFactory


def draft(meeting):
    return AgendaVersion.objects.get(meeting=meeting, number=None)


def test_publish_freezes_version_one_with_time_note_and_a_copy_of_the_items(small_agenda, secretariat):
    q4 = QuestionFactory(number=4)
    opening = AgendaItem.objects.get(version__number=None, title="Opening")
    services.update_agenda_item(opening, revision=1, by=secretariat, title="Opening", questions=[q4])

    version = services.publish_agenda(small_agenda, revision=2, by=secretariat, note="For the letter")

    assert (version.number, version.note, version.published_by) == (1, "For the letter", secretariat)
    assert version.published_at is not None
    frozen = [(n.label, n.title, n.uid) for n in queries.flatten(queries.agenda_tree(version))]
    drafted = [(n.label, n.title, n.uid) for n in queries.flatten(queries.agenda_tree(draft(small_agenda)))]
    assert frozen == drafted
    assert list(version.items.get(title="Opening").questions.all()) == [q4]
    assert draft(small_agenda).items.count() == 7  # the draft keeps its items


def test_published_version_stays_as_it_was_when_the_draft_changes(small_agenda, secretariat):
    version = services.publish_agenda(small_agenda, revision=1, by=secretariat)
    services.delete_agenda_item(draft(small_agenda).items.get(title="Results"), revision=1, by=secretariat)
    services.publish_agenda(small_agenda, revision=2, by=secretariat)

    assert version.items.count() == 7
    assert list(
        AgendaVersion.objects.filter(meeting=small_agenda, number__isnull=False).values_list("number", flat=True)
    ) == [1, 2]


def test_publish_without_changes_is_refused(small_agenda, secretariat):
    services.publish_agenda(small_agenda, revision=1, by=secretariat)

    with pytest.raises(services.NothingToPublish) as error:
        services.publish_agenda(small_agenda, revision=1, by=secretariat)

    assert str(error.value) == "The draft is the same as version 1: there is nothing new to publish."


def test_publish_empty_draft_is_refused(meeting, secretariat):
    with pytest.raises(services.NothingToPublish):
        services.publish_agenda(meeting, revision=0, by=secretariat)

    assert AgendaVersion.objects.filter(meeting=meeting).count() == 0


def test_publish_on_a_stale_page_is_refused(small_agenda, secretariat):
    services.add_agenda_item(small_agenda, revision=1, by=UserFactory(), title="Late addition")

    with pytest.raises(services.StaleDraft):
        services.publish_agenda(small_agenda, revision=1, by=secretariat)


def test_publish_queues_one_notice_per_approved_registrant_with_the_changes(small_agenda, secretariat, registrant):
    pending = make_member(UserFactory(), small_agenda, registration_state=Registration.State.PENDING)
    services.publish_agenda(small_agenda, revision=1, by=secretariat)
    services.shift_agenda_item(
        draft(small_agenda).items.get(title="Closing"), revision=1, by=secretariat, direction="up"
    )

    version = services.publish_agenda(small_agenda, revision=2, by=secretariat, note="Closing earlier")

    mails = OutgoingMail.objects.filter(recipient=registrant.email).order_by("id")
    assert [m.subject for m in mails] == [
        f"[ITU-T SG portal] Agenda version 1 – {small_agenda}",
        f"[ITU-T SG portal] Agenda version 2 – {small_agenda}",
    ]
    body = mails[1].body_text
    assert "Closing earlier" in body
    assert "- moved: Closing (4 → 3)" in body
    assert f"/meetings/{small_agenda.pk}/agenda/v2/" in body
    assert mails[1].dedupe_key == f"agenda:agenda-version:{version.pk}:to:{registrant.pk}"
    assert OutgoingMail.objects.filter(recipient=pending.email).count() == 0


def test_notices_are_queued_once_per_version_and_person(small_agenda, secretariat, registrant):
    version = services.publish_agenda(small_agenda, revision=1, by=secretariat)

    again = services.queue_publication_notices(
        small_agenda,
        template="agenda/mail/agenda_published",
        context={"version": version, "previous": None, "changes": None, "url": "x"},
        key=f"agenda:agenda-version:{version.pk}",
    )

    assert again == 0
    assert OutgoingMail.objects.filter(recipient=registrant.email).count() == 1


@pytest.mark.parametrize("registrants", [1, 30])
def test_notices_for_many_registrants_take_a_fixed_number_of_queries(
    small_agenda, secretariat, django_assert_num_queries, registrants
):
    for _ in range(registrants):
        make_member(UserFactory(), small_agenda)

    # Savepoint, draft found and locked (2), previous version, draft tree (items, Questions, documents),
    # version, items (one insert per level: 2), registrants, known dedupe keys, mail insert, savepoint released.
    with django_assert_num_queries(15):
        services.publish_agenda(small_agenda, revision=1, by=secretariat)

    assert OutgoingMail.objects.count() == registrants
