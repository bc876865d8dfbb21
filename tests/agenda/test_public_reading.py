"""Published agenda and time plan versions are public; drafts are not; each session's remote-participation link
is shown only to an approved registrant of the meeting (and the secretariat)."""

import subprocess

import pytest

from agenda import services
from agenda.models import Session
from registration.models import Registration
from tests.agenda.factories import add_session, change_session, make_member
from tests.factories import MeetingFactory, UserFactory

JOIN = "https://mymeetings.example.org/sg17/q4-join"


@pytest.fixture
def published(small_agenda, secretariat):
    """The small agenda and a time plan whose one session has a join link, each published once."""
    services.publish_agenda(small_agenda, revision=1, by=secretariat)
    add_session(small_agenda, secretariat, 0, "10:00", "12:00", "Q4/17", join_url=JOIN)
    services.publish_time_plan(small_agenda, revision=1, by=secretariat)
    return small_agenda


def time_plan_page(client, meeting) -> str:
    response = client.get(f"/meetings/{meeting.pk}/time-plan/")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_reads_published_time_plan_without_join_link_or_draft_tab(client, published):
    page = time_plan_page(client, published)

    assert "Q4/17" in page
    assert JOIN not in page
    assert 'id="join-links-note"' in page
    assert "Draft time plan" not in page
    assert "Subscribe in your calendar" not in page


def test_anonymous_reads_published_agenda_and_its_pdf(client, published, tmp_path):
    page = client.get(f"/meetings/{published.pk}/agenda/").content.decode()
    pdf = client.get(f"/meetings/{published.pk}/agenda/v1.pdf")
    (tmp_path / "agenda.pdf").write_bytes(pdf.content)

    assert "Draft agenda" not in page
    assert "Coordination" in page
    text = subprocess.run(["pdftotext", tmp_path / "agenda.pdf", "-"], capture_output=True, check=True).stdout
    assert "Coordination" in text.decode()


def test_time_plan_pdf_and_calendar_never_carry_join_links(client, published, tmp_path):
    pdf = client.get(f"/meetings/{published.pk}/time-plan/v1.pdf")
    ics = client.get(f"/meetings/{published.pk}/time-plan.ics")
    (tmp_path / "plan.pdf").write_bytes(pdf.content)

    text = subprocess.run(["pdftotext", tmp_path / "plan.pdf", "-"], capture_output=True, check=True).stdout.decode()
    assert ("Q4/17" in text, JOIN in text) == (True, False)
    assert (ics.status_code, JOIN in ics.content.decode()) == (200, False)


@pytest.mark.parametrize(
    ("state", "sees_link"),
    [
        (Registration.State.APPROVED, True),
        (Registration.State.PENDING, False),
        (Registration.State.REJECTED, False),
        (Registration.State.CANCELLED, False),
    ],
)
def test_join_link_only_for_approved_registrant(client, published, state, sees_link):
    client.force_login(make_member(UserFactory(), published, registration_state=state))

    page = time_plan_page(client, published)

    assert (JOIN in page, 'id="join-links-note"' in page) == (sees_link, not sees_link)


def test_join_link_hidden_from_a_member_registered_for_another_meeting(client, published):
    other = MeetingFactory(first_day=published.first_day.replace(year=published.first_day.year + 1))
    client.force_login(make_member(UserFactory(), other))

    assert JOIN not in time_plan_page(client, published)


def test_secretariat_sees_join_link_on_published_version_and_draft(client, published, secretariat):
    client.force_login(secretariat)

    draft = client.get(f"/meetings/{published.pk}/time-plan/draft/").content.decode()

    assert JOIN in time_plan_page(client, published)
    assert JOIN in draft


def test_session_form_saves_the_join_link_and_drops_it_without_remote_participation(client, meeting, secretariat):
    client.force_login(secretariat)
    url = f"/meetings/{meeting.pk}/time-plan/sessions/add/"
    fields = {"revision": 0, "day": meeting.first_day.isoformat(), "start": "10:00", "end": "12:00"}

    client.post(url, {**fields, "title": "Q4/17", "remote_participation": "on", "join_url": JOIN})
    client.post(url, {**fields, "revision": 1, "title": "Q2/17", "room": "Popov", "join_url": JOIN})
    refused = client.post(url, {**fields, "revision": 2, "title": "Q3/17", "join_url": "not a link"})

    saved = dict(Session.objects.filter(version__meeting=meeting).values_list("title", "join_url"))
    assert saved == {"Q4/17": JOIN, "Q2/17": ""}
    assert "Enter a valid URL." in refused.content.decode()


def test_changed_join_link_is_a_change_to_publish(meeting, secretariat):
    session = add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", join_url=JOIN)
    services.publish_time_plan(meeting, revision=1, by=secretariat)

    change_session(session, secretariat, 0, "10:00", "12:00", "Q4/17", join_url=JOIN + "-new")
    version = services.publish_time_plan(meeting, revision=2, by=secretariat)

    assert version.sessions.get().join_url == JOIN + "-new"


def test_the_cached_sessions_of_one_reader_never_show_another_readers_links_or_zone(published, secretariat):
    from django.test import Client

    readers = {
        "approved": make_member(UserFactory(time_zone="Asia/Seoul"), published),
        "pending": make_member(UserFactory(time_zone="Asia/Seoul"), published, registration_state="pending"),
        "elsewhere": make_member(UserFactory(time_zone="America/New_York"), published),
        "anonymous": None,
    }
    for _round in range(2):  # cold, then warm
        pages = {}
        for name, user in readers.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            pages[name] = time_plan_page(client, published)
        assert JOIN in pages["approved"]
        assert JOIN not in pages["pending"]
        assert JOIN not in pages["anonymous"]
        assert "Your time (Asia/Seoul)" in pages["approved"]
        assert "Your time (Asia/Seoul)" in pages["pending"]
        assert "Your time (America/New_York)" in pages["elsewhere"]
        assert "Your time (" not in pages["anonymous"]


def test_a_republished_time_plan_is_on_the_next_page(client, published, secretariat):
    assert "Q4/17" in time_plan_page(client, published)
    session = Session.objects.get(version__meeting=published, version__number=None)
    change_session(session, secretariat, 0, "10:00", "12:00", "Q9/17 instead", join_url=JOIN)
    services.publish_time_plan(published, revision=2, by=secretariat)
    page = time_plan_page(client, published)
    assert "Q9/17 instead" in page


def test_a_posting_no_item_lists_keeps_the_agendas_cached_and_a_listed_documents_change_is_on_the_next_agenda(
    client, small_agenda, secretariat
):
    """The agendas' fragments are kept through the postings of a meeting week; a document an item lists is shown
    again as it is now, after a revision and after a withdrawal."""
    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents import services as documents
    from sg17portal.pagecache import agenda_version, content_version
    from tests.agenda.conftest import draft_item
    from tests.agenda.documents import post_tds
    from tests.documents.factories import pdf_bytes

    cache.clear()
    listed = post_tds(small_agenda, secretariat, 1)[0]
    draft_item(small_agenda, "Coordination").documents.add(listed)
    services.publish_agenda(small_agenda, revision=1, by=secretariat)
    client.force_login(secretariat)  # signed in: the page is rendered, only its fragments come from the cache
    url = f"/meetings/{small_agenda.pk}/agenda/"
    assert f">{listed.display_name}</a>" in client.get(url).content.decode()

    versions = (content_version(), agenda_version())
    post_tds(small_agenda, secretariat, 1)  # a TD no item lists
    assert content_version() != versions[0]
    assert agenda_version() == versions[1]
    with CaptureQueriesContext(connection) as reading:
        page = client.get(url).content.decode()
    assert f">{listed.display_name}</a>" in page
    assert not any("agenda_agendaitem" in query["sql"] for query in reading.captured_queries)

    documents.add_revision(listed, files=[ContentFile(pdf_bytes(), name="rev.pdf")], by=secretariat)
    listed.refresh_from_db()
    assert "Rev.1" in listed.display_name
    assert f">{listed.display_name}</a>" in client.get(url).content.decode()

    documents.withdraw_document(listed, by=secretariat, reason="Replaced")
    assert 'class="agenda-document-withdrawn"' in client.get(url).content.decode()
