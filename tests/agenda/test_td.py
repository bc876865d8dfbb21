import datetime
import re
import subprocess

import pytest

from agenda import queries, services, tasks
from agenda.models import AgendaItem, AgendaVersion
from agenda.services import td
from documents.models import Document, Kind
from documents.services import withdraw_document
from meetings.extensions import annex_b
from sg17portal.celery import _send as celery_send
from tests.agenda.documents import post_tds
from tests.factories import MeetingFactory, QuestionFactory


def draft(meeting):
    return AgendaVersion.objects.get(meeting=meeting, number=None)


def publish(meeting, by, **kwargs):
    return services.publish_agenda(meeting, revision=draft(meeting).revision, by=by, issue_as_td=True, **kwargs)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_publishing_twice_issues_one_td_with_two_revisions(
    on_the_letters_dates, small_agenda, secretariat, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = publish(small_agenda, secretariat)
    # The task is queued once the publication is committed (the page cache's version is replaced then too).
    queued = [callback.args[0] for callback in callbacks if getattr(callback, "func", None) is celery_send]
    assert queued == ["agenda.issue_agenda_tds"]
    assert tasks.issue_agenda_tds(small_agenda.pk) == 1
    services.shift_agenda_item(
        draft(small_agenda).items.get(title="Closing"), revision=1, by=secretariat, direction="up"
    )
    second = publish(small_agenda, secretariat, note="Closing earlier")
    assert tasks.issue_agenda_tds(small_agenda.pk) == 1

    document = Document.objects.get(meeting=small_agenda, kind=Kind.TD)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.td_revision.document, second.td_revision.document) == (document, document)
    assert [(r.number, r.note) for r in document.revisions.order_by("number")] == [
        (0, ""),
        (1, "Agenda, version 2: Closing earlier"),
    ]
    assert document.display_name == "TD 1 Rev.1 (PLEN)"
    assert document.title == "Agenda of the meeting of Study Group 17, 24 August – 3 September 2021"
    stored = second.td_revision.files.get()
    text = " ".join(pdf_text(media_root / stored.file.name).split())
    assert "Version 2 of" in text
    assert "3. Closing" in text
    assert text.index("3. Closing") < text.index("4. Coordination")


def test_issuing_twice_does_nothing_more(small_agenda, secretariat):
    publish(small_agenda, secretariat)

    assert td.issue_pending_agenda_tds(small_agenda) == 1
    assert td.issue_pending_agenda_tds(small_agenda) == 0
    assert tasks.sweep() == 0
    assert Document.objects.filter(kind=Kind.TD).count() == 1


def test_sweep_issues_what_no_worker_did_in_version_order(small_agenda, secretariat):
    publish(small_agenda, secretariat)
    services.add_agenda_item(small_agenda, revision=1, by=secretariat, title="Any other business")
    publish(small_agenda, secretariat)

    assert tasks.sweep() == 2

    versions = AgendaVersion.objects.filter(meeting=small_agenda, number__isnull=False).order_by("number")
    assert [v.td_revision.number for v in versions] == [0, 1]


def test_withdrawn_agenda_td_is_followed_by_a_new_td(small_agenda, secretariat):
    publish(small_agenda, secretariat)
    td.issue_pending_agenda_tds(small_agenda)
    withdraw_document(queries.agenda_td(small_agenda), by=secretariat, reason="Wrong meeting")
    services.add_agenda_item(small_agenda, revision=1, by=secretariat, title="Any other business")
    publish(small_agenda, secretariat)

    td.issue_pending_agenda_tds(small_agenda)

    assert list(Document.objects.filter(kind=Kind.TD).order_by("number").values_list("number", "latest_revision")) == [
        (1, 0),
        (2, 0),
    ]


def test_version_published_by_someone_no_longer_in_the_secretariat_waits(small_agenda, secretariat):
    version = publish(small_agenda, secretariat)
    secretariat.groups.clear()

    assert td.issue_pending_agenda_tds(small_agenda) == 0

    version.refresh_from_db()
    assert version.td_pending
    assert Document.objects.count() == 0


def test_publishing_without_a_td_issues_none(small_agenda, secretariat):
    services.publish_agenda(small_agenda, revision=1, by=secretariat)

    assert tasks.sweep() == 0
    assert Document.objects.count() == 0


def test_annex_b_shows_the_current_agenda_and_its_td(small_agenda, secretariat):
    assert annex_b(small_agenda) is None
    publish(small_agenda, secretariat)
    td.issue_pending_agenda_tds(small_agenda)

    html = annex_b(small_agenda)

    assert "Updates to the agenda can be found in TD 1 (PLEN)." in html
    # One paragraph per item, indented by its depth (the letter's PDF lays paragraphs out five times faster than
    # the web page's nested tree).
    paragraphs = re.findall(r'<p class="agenda-level-(\d)" id="item-[^"]+">([^<]*)', html)
    assert paragraphs == [
        ("0", "1. Opening"),
        ("0", "2. Results"),
        ("1", "a) Report"),
        ("1", "b) AAP"),
        ("0", "3. Coordination"),
        ("1", "a) JCAs"),
        ("0", "4. Closing"),
    ]
    assert "<ul" not in html
    assert "<li" not in html


def test_annex_b_names_an_items_working_party_questions_and_documents_after_its_title(small_agenda, secretariat):
    report, liaison = post_tds(small_agenda, secretariat, 2)
    item = draft(small_agenda).items.get(title="Report")
    question = QuestionFactory(number=4)
    services.update_agenda_item(
        item,
        revision=1,
        by=secretariat,
        title="Report",
        working_party="WP1",
        questions=[question],
        documents=[report, liaison],
    )
    withdraw_document(liaison, by=secretariat, reason="Sent twice")
    publish(small_agenda, secretariat)

    html = annex_b(small_agenda)

    line = re.search(r'<p class="agenda-level-1" id="item-[^"]+">a\) Report (.*?)</p>', html).group(1)
    assert line == (
        f'<span class="agenda-tags">– WP1, {question}, <a href="/documents/{report.pk}/">TD 1 (PLEN)</a>, '
        f'<a href="/documents/{liaison.pk}/" class="agenda-document-withdrawn" title="withdrawn">TD 2 (PLEN)</a></span>'
    )


def test_item_links_documents_of_the_meeting_and_versions_keep_them(client, small_agenda, secretariat, registrant):
    report, liaison = post_tds(small_agenda, secretariat, 2)
    item = draft(small_agenda).items.get(title="Report")
    services.update_agenda_item(item, revision=1, by=secretariat, title="Report", documents=[report, liaison])
    version = services.publish_agenda(small_agenda, revision=2, by=secretariat)
    services.update_agenda_item(item, revision=2, by=secretariat, title="Report", documents=[report])
    client.force_login(registrant)

    page = client.get(f"/meetings/{small_agenda.pk}/agenda/v1/").content.decode()

    assert list(version.items.get(title="Report").documents.order_by("number")) == [report, liaison]
    assert (
        f'<a href="/documents/{report.pk}/">TD 1 (PLEN)</a>, <a href="/documents/{liaison.pk}/">TD 2 (PLEN)</a>' in page
    )


def test_documents_of_another_meeting_are_refused(small_agenda, secretariat):
    elsewhere = post_tds(MeetingFactory(first_day=datetime.date(2022, 1, 10)), secretariat, 1)[0]
    item = draft(small_agenda).items.get(title="Report")

    with pytest.raises(services.AgendaError) as error:
        services.update_agenda_item(item, revision=1, by=secretariat, title="Report", documents=[elsewhere])

    assert str(error.value) == f"{elsewhere.display_name} is not a contribution or TD of this meeting."
    assert AgendaItem.objects.get(pk=item.pk).documents.count() == 0


def test_publish_page_offers_the_next_revision_of_the_agenda_td(client, small_agenda, secretariat):
    publish(small_agenda, secretariat)
    td.issue_pending_agenda_tds(small_agenda)
    services.add_agenda_item(small_agenda, revision=1, by=secretariat, title="Any other business")
    client.force_login(secretariat)

    page = client.get(f"/meetings/{small_agenda.pk}/agenda/publish/").content.decode()

    assert "Issue as the next revision of TD 1 (PLEN)" in page
