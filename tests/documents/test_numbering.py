import threading

import pytest
from django.db import connection

from documents import services
from documents.models import Document, Kind, NumberSeries, Scope, TdType
from meetings.models import Meeting, StudyPeriod
from meetings.services import announce_meeting
from tests.documents.factories import pdf_bytes, upload
from tests.factories import MeetingFactory, MemberEntityFactory, member_of, open_meeting


def test_display_names_follow_itu_habits(db, meeting, member, entity, secretariat):
    contribution = services.post_contribution(meeting, entity=entity, title="A", files=[upload()], by=member)
    td = services.post_td(meeting, title="B", source="TSB", scope=Scope.PLEN, files=[upload()], by=secretariat)
    assert contribution.display_name == "C 1"
    assert td.display_name == "TD 1 (PLEN)"

    services.add_revision(contribution, files=[upload()], by=member)
    services.add_revision(td, files=[upload()], by=secretariat)
    contribution.refresh_from_db()
    td.refresh_from_db()
    assert contribution.display_name == "C 1 Rev.1"
    assert td.display_name == "TD 1 Rev.1 (PLEN)"


def test_per_scope_series_number_each_scope_apart(db, secretariat):
    period = StudyPeriod.objects.create(first_year=2022, last_year=2024, td_numbering=StudyPeriod.TdNumbering.PER_SCOPE)
    meeting = open_meeting(study_period=period)

    def post(scope):
        return services.post_td(meeting, title="T", source="Editor", scope=scope, files=[upload()], by=secretariat)

    names = [post(scope).display_name for scope in (Scope.WP2, Scope.WP2, Scope.PLEN, Scope.WP2)]
    assert names == ["TD 1/2", "TD 2/2", "TD 1/P", "TD 3/2"]
    third = Document.objects.get(series="WP2", number=3)
    services.add_revision(third, files=[upload()], by=secretariat)
    services.add_revision(third, files=[upload()], by=secretariat)
    third.refresh_from_db()
    assert third.display_name == "TD 3/2 Rev.2"


def test_withdrawn_document_keeps_its_number_and_it_is_not_reused(db, meeting, member, entity):
    first = services.post_contribution(meeting, entity=entity, title="A", files=[upload()], by=member)
    services.withdraw_document(first, by=member, reason="Merged into another contribution")
    second = services.post_contribution(meeting, entity=entity, title="B", files=[upload()], by=member)
    first.refresh_from_db()
    assert (first.number, first.is_withdrawn, first.display_name) == (1, True, "C 1")
    assert second.number == 2


def test_failed_posting_leaves_no_gap(db, meeting, member, entity):
    services.post_contribution(meeting, entity=entity, title="A", files=[upload()], by=member)
    with pytest.raises(services.DocumentError):
        services.post_contribution(
            meeting, entity=MemberEntityFactory(), title="Not my entity", files=[upload()], by=member
        )
    third = services.post_contribution(meeting, entity=entity, title="C", files=[upload()], by=member)
    assert third.number == 2


def test_contributions_and_tds_run_in_separate_series(db, meeting, member, entity, secretariat):
    services.post_contribution(meeting, entity=entity, title="A", files=[upload()], by=member)
    services.post_contribution(meeting, entity=entity, title="B", files=[upload()], by=member)
    td = services.post_td(
        meeting,
        title="LS",
        source="ITU-R",
        scope=Scope.GEN,
        td_type=TdType.LIAISON_INCOMING,
        files=[upload()],
        by=secretariat,
    )
    assert td.number == 1
    assert NumberSeries.objects.get(kind=Kind.CONTRIBUTION).last_number == 2


def test_collective_letters_share_the_study_groups_series_with_announced_meetings(db, meeting, secretariat):
    draft = MeetingFactory(study_group=meeting.study_group, state=Meeting.State.DRAFT, letter_reference="")
    announced = announce_meeting(draft, by=secretariat)

    letter = services.post_collective_letter(
        meeting, title="Invitation", files=[upload("letter.pdf", pdf_bytes())], by=secretariat
    )

    assert announced.letter_reference == "TSB Collective letter 1/17"
    assert letter.display_name == "Collective letter 2/17"
    meeting.study_group.refresh_from_db()
    assert meeting.study_group.collective_letter_counter == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_get_distinct_consecutive_numbers():
    meeting = open_meeting()
    entity = MemberEntityFactory()
    people = [member_of(entity) for _ in range(50)]
    barrier = threading.Barrier(len(people))
    numbers, errors = [], []

    def post(person):
        try:
            barrier.wait()
            document = services.post_contribution(
                meeting,
                entity=entity,
                title=f"By {person.email}",
                files=[upload(data=b"Plain text.\n", name="c.txt")],
                by=person,
            )
            numbers.append(document.number)
        except Exception as exc:  # collected, the assertion below shows them
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(numbers) == list(range(1, 51))
    assert sorted(Document.objects.values_list("number", flat=True)) == list(range(1, 51))
    assert NumberSeries.objects.get(kind=Kind.CONTRIBUTION).last_number == 50


def test_a_posting_reads_no_related_row_back_to_validate_it(db, meeting, member, entity):
    from django.test.utils import CaptureQueriesContext

    services.post_contribution(meeting, entity=entity, title="Warm-up", files=[upload()], by=member)
    with CaptureQueriesContext(connection) as posting:
        services.post_contribution(meeting, entity=entity, title="Zero trust", files=[upload()], by=member)

    # The meeting, its study group and period, the entity and the poster are the objects the caller holds, and
    # the database checks the keys when the document is saved: full_clean() does not ask again, for each foreign
    # key, whether a row with this id exists.
    tables = ["meetings_studygroup", "meetings_studyperiod", "meetings_meeting", "registration_memberentity"]
    checks = [
        q["sql"]
        for q in posting.captured_queries
        for table in [*tables, "accounts_user"]
        if q["sql"].startswith(f'SELECT 1 AS "a" FROM "{table}" WHERE "{table}"."id" = ')
    ]
    assert checks == []
    assert Document.objects.get(title="Zero trust").number == 2


def test_a_number_is_taken_in_one_statement(db, meeting, member, entity):
    """The UPDATE that increments the series returns the number and holds the row's lock until the transaction
    ends (``test_concurrent_postings_get_distinct_consecutive_numbers`` has postings wait on it)."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from documents import numbering

    services.post_contribution(meeting, entity=entity, title="First", files=[upload()], by=member)
    of_meeting = {"study_group": meeting.study_group, "study_period": meeting.study_period}
    with transaction.atomic(), CaptureQueriesContext(connection) as taken:
        assert numbering.allocate_number(**of_meeting, kind=Kind.CONTRIBUTION) == 2

    assert [query["sql"].split()[0] for query in taken.captured_queries] == ["UPDATE"]
    assert NumberSeries.objects.get(kind=Kind.CONTRIBUTION).last_number == 2
