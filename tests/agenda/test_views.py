import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from agenda import services
from agenda.models import AgendaItem, AgendaVersion, TimePlanVersion
from meetings.models import Meeting
from tests.agenda.conftest import SMALL_AGENDA, draft_item, load_outline
from tests.agenda.documents import post_tds
from tests.agenda.factories import add_session
from tests.factories import AffiliationFactory, MeetingFactory, QuestionFactory, UserFactory
from tests.kept import forget_kept_answers


def test_anonymous_reads_the_published_agenda_and_is_sent_to_log_in_for_the_draft(client, published):
    assert client.get(f"/meetings/{published.pk}/agenda/").status_code == 200

    response = client.get(f"/meetings/{published.pk}/agenda/draft/")

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/meetings/{published.pk}/agenda/draft/"


def test_meeting_not_yet_announced_is_unknown_except_to_the_secretariat(client, published, registrant, secretariat):
    Meeting.objects.filter(pk=published.pk).update(state=Meeting.State.DRAFT)
    url = f"/meetings/{published.pk}/agenda/"

    client.force_login(registrant)
    assert client.get(url).status_code == 404
    client.force_login(secretariat)
    assert client.get(url).status_code == 200


def test_delegate_cannot_change_the_draft(client, small_agenda, registrant, chair):
    opening = draft_item(small_agenda, "Opening")
    url = f"/meetings/{small_agenda.pk}/agenda/items/{opening.pk}/edit/"
    for person in (registrant, chair):
        client.force_login(person)
        assert client.post(url, {"revision": 1, "title": "Hacked"}).status_code == 403
        shift = f"/meetings/{small_agenda.pk}/agenda/items/{opening.pk}/shift/"
        assert client.post(shift, {"revision": 1, "direction": "down"}).status_code == 403

    assert draft_item(small_agenda, "Opening").title == "Opening"
    assert AgendaVersion.objects.get(meeting=small_agenda, number=None).revision == 1


def test_item_of_another_meeting_is_not_found(client, small_agenda, secretariat):
    other = MeetingFactory()
    load_outline(other, "1. Elsewhere", by=secretariat)
    foreign = draft_item(other, "Elsewhere")
    client.force_login(secretariat)

    response = client.post(
        f"/meetings/{small_agenda.pk}/agenda/items/{foreign.pk}/shift/", {"revision": 1, "direction": "down"}
    )

    assert response.status_code == 404


def test_published_item_cannot_be_reached_through_the_editor(client, published, secretariat):
    frozen = AgendaItem.objects.get(version__meeting=published, version__number=1, title="Opening")
    client.force_login(secretariat)

    assert client.get(f"/meetings/{published.pk}/agenda/items/{frozen.pk}/edit/").status_code == 404


def test_drafts_are_not_shown_to_delegates(client, published, secretariat, registrant):
    services.add_agenda_item(published, revision=1, by=secretariat, title="Secret draft item")
    client.force_login(registrant)

    page = client.get(f"/meetings/{published.pk}/agenda/").content.decode()
    compare = client.get(f"/meetings/{published.pk}/agenda/compare/", {"old": "1", "new": "draft"})

    assert "Secret draft item" not in page
    assert "Draft agenda" not in page
    assert "Secret draft item" not in compare.content.decode()


def test_chair_sees_the_draft_read_only(client, published, secretariat, chair):
    services.add_agenda_item(published, revision=1, by=secretariat, title="Draft item")
    client.force_login(chair)

    page = client.get(f"/meetings/{published.pk}/agenda/draft/").content.decode()

    assert "Draft item" in page
    assert "agenda-editor" not in page
    assert "Publish…" not in page


def test_agenda_and_time_plan_pages_escape_markup_in_titles_and_descriptions(client, meeting, secretariat, registrant):
    script, escaped = "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"
    services.add_agenda_item(meeting, revision=0, by=secretariat, title=f"Item {script}", description=f"Text {script}")
    services.publish_agenda(meeting, revision=1, by=secretariat)
    add_session(meeting, secretariat, 0, "10:00", "12:00", f"Session {script}", room=f"Room {script}")
    services.publish_time_plan(meeting, revision=1, by=secretariat)
    urls = [f"/meetings/{meeting.pk}/agenda/", f"/meetings/{meeting.pk}/time-plan/"]

    client.force_login(registrant)
    published = [client.get(url).content.decode() for url in urls]
    client.force_login(secretariat)
    editor = client.get(f"/meetings/{meeting.pk}/agenda/draft/").content.decode()

    assert [page.count("<script>alert") for page in [*published, editor]] == [0, 0, 0]
    assert [published[0].count(f"Item {escaped}"), published[0].count(f"Text {escaped}")] == [1, 1]
    assert [published[1].count(f"Session {escaped}"), published[1].count(f"Room {escaped}")] == [1, 1]
    # In the editor the title is shown once; the script quotes it in the delete button's confirmation attribute.
    assert [editor.count(f"Item {escaped}"), editor.count(f"Text {escaped}")] == [1, 1]
    item = draft_item(meeting, f"Item {script}")
    edit = client.get(f"/meetings/{meeting.pk}/agenda/items/{item.pk}/edit/").content.decode()
    assert edit.count("<script>alert") == 0
    assert f'data-confirm="Delete 1 “Item {escaped}” and its sub-items?"' in edit


# --- Editing through the pages ---------------------------------------------------------------------


def test_keyboard_buttons_move_items_without_script(client, small_agenda, secretariat):
    client.force_login(secretariat)
    closing = draft_item(small_agenda, "Closing")

    response = client.post(
        f"/meetings/{small_agenda.pk}/agenda/items/{closing.pk}/shift/", {"revision": 1, "direction": "up"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{small_agenda.pk}/agenda/draft/#item-{closing.pk}"
    page = client.get(response["Location"]).content.decode()
    assert page.index(">Closing<") < page.index(">Coordination<")


def test_drag_and_drop_endpoint_answers_json(client, small_agenda, secretariat):
    client.force_login(secretariat)
    closing, results = draft_item(small_agenda, "Closing"), draft_item(small_agenda, "Results")
    url = f"/meetings/{small_agenda.pk}/agenda/items/{closing.pk}/move/"

    moved = client.post(url, {"revision": 1, "parent": results.pk, "index": 0}, headers={"Accept": "application/json"})
    stale = client.post(url, {"revision": 1, "parent": "", "index": 0}, headers={"Accept": "application/json"})

    assert moved.status_code == 200
    assert draft_item(small_agenda, "Closing").parent_id == results.pk
    assert stale.status_code == 409
    assert stale.json()["error"].startswith("Not saved: the draft was changed by Sofia Martin at ")


def test_stale_edit_is_refused_and_keeps_what_was_typed(client, small_agenda, secretariat):
    colleague = UserFactory(given_name="Ana", family_name="Lopez")
    colleague.groups.add(*secretariat.groups.all())
    opening = draft_item(small_agenda, "Opening")
    url = f"/meetings/{small_agenda.pk}/agenda/items/{opening.pk}/edit/"
    client.force_login(secretariat)
    assert 'name="revision" value="1"' in client.get(url).content.decode()  # opened at revision 1
    services.shift_agenda_item(draft_item(small_agenda, "Closing"), revision=1, by=colleague, direction="up")

    response = client.post(url, {"revision": 1, "title": "Opening and welcome", "description": "My long text"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: the draft was changed by Ana Lopez at " in page
    assert "reload" in page.lower()
    assert 'value="Opening and welcome"' in page
    assert "My long text" in page
    assert draft_item(small_agenda, "Opening").title == "Opening"
    assert draft_item(small_agenda, "Closing").position == 2  # the colleague's move stands


def test_outline_page_builds_the_tree_and_reports_skipped_lines(client, meeting, secretariat):
    client.force_login(secretariat)

    response = client.post(
        f"/meetings/{meeting.pk}/agenda/outline/", {"revision": 0, "text": "ANNEX B\n" + SMALL_AGENDA}, follow=True
    )

    page = response.content.decode()
    assert "7 items added from the text." in page
    assert "Lines skipped (not items): 1: ANNEX B" in page
    assert AgendaItem.objects.filter(version__meeting=meeting).count() == 7


def test_outline_page_shows_the_line_that_cannot_be_read(client, meeting, secretariat):
    client.force_login(secretariat)

    response = client.post(f"/meetings/{meeting.pk}/agenda/outline/", {"revision": 0, "text": "a) Orphan\n1. Opening"})

    assert "Line 1: sub-item “a) Orphan” comes before any numbered item." in response.content.decode()
    assert AgendaItem.objects.count() == 0


def test_publish_page_publishes_and_shows_the_new_numbering(client, small_agenda, secretariat):
    client.force_login(secretariat)

    response = client.post(
        f"/meetings/{small_agenda.pk}/agenda/publish/", {"revision": 1, "note": "First"}, follow=True
    )

    assert response.redirect_chain == [(f"/meetings/{small_agenda.pk}/agenda/v1/", 302)]
    assert "Version 1 of the agenda is published." in response.content.decode()


def test_session_overlap_message_is_shown_on_the_form(client, meeting, secretariat):
    client.force_login(secretariat)
    url = f"/meetings/{meeting.pk}/time-plan/sessions/add/"
    fields = {"day": "2021-08-24", "start": "10:00", "end": "12:00", "room": "Popov", "remote_participation": "on"}
    client.post(url, {"revision": 0, "title": "Q4/17", **fields})

    response = client.post(url, {"revision": 1, "title": "Q2/17", **fields, "start": "11:00", "end": "13:00"})

    assert (
        "Room Popov is already taken at that time by “Q4/17” (Tuesday 24 August 2021, 10:00–12:00 CEST)."
        in response.content.decode()
    )


# --- Query counts ----------------------------------------------------------------------------------


def add_items(meeting, by, count):
    """``count`` items with a sub-item each, every item with a Question and a TD of its own."""
    text = "\n".join(f"{n}. Item {n}\na) Sub-item of {n}" for n in range(1, count + 1))
    load_outline(meeting, text, by=by)
    q = QuestionFactory(number=4)
    tds = post_tds(meeting, by, count)
    for item, td in zip(AgendaItem.objects.filter(version__meeting=meeting, parent=None), tds, strict=True):
        item.questions.add(q)
        item.documents.add(td)


@pytest.mark.parametrize("count", [1, 40])
def test_agenda_page_query_count_is_fixed(client, meeting, secretariat, registrant, count, django_assert_num_queries):
    add_items(meeting, secretariat, count)
    services.publish_agenda(meeting, revision=1, by=secretariat)
    client.force_login(registrant)

    # User, meeting (with its deadlines and side events: three, kept between requests), groups, the published
    # versions (the latest is the page's), items, Questions, documents.
    # + the approvals menu badge
    with django_assert_num_queries(10):
        response = client.get(f"/meetings/{meeting.pk}/agenda/")

    page = response.content.decode()
    assert page.count('class="agenda-item ') == 2 * count
    assert page.count('<a href="/documents/') == count


@pytest.mark.parametrize("count", [1, 40])
def test_draft_editor_query_count_is_fixed(client, meeting, secretariat, count, django_assert_num_queries):
    add_items(meeting, secretariat, count)
    client.force_login(secretariat)

    # User, meeting (with its deadlines and side events: three, kept between requests), groups, the draft with the
    # current version (none) in one query, items, Questions, documents.
    # + the approvals menu badge
    forget_kept_answers()
    with django_assert_num_queries(10):
        response = client.get(f"/meetings/{meeting.pk}/agenda/draft/")

    page = response.content.decode()
    assert page.count('class="agenda-item ') == 2 * count
    # Each item's buttons come from the page's one template: the HTML grows by about 400 bytes an item, so 150
    # items stay well under 100 KB (each with its own seven controls, they made 360 KB).
    assert page.count('<template id="agenda-item-actions">') == 1
    assert page.count("agenda_item_shift") == 0
    assert page.count("/shift/") == 1


@pytest.mark.parametrize("count", [1, 30])
def test_time_plan_page_query_count_is_fixed(
    client, meeting, secretariat, registrant, count, django_assert_num_queries
):
    add_items(meeting, secretariat, 3)
    services.publish_agenda(meeting, revision=1, by=secretariat)
    uids = [str(i.uid) for i in AgendaItem.objects.filter(version__number=1)[:2]]
    q4 = QuestionFactory(number=4)
    for n in range(count):
        title, room = f"Session {n}", f"Room {n}"
        add_session(meeting, secretariat, n % 10, "10:00", "12:00", title, room, questions=[q4], agenda_item_uids=uids)
    services.publish_time_plan(meeting, revision=count, by=secretariat)
    client.force_login(registrant)

    # User, meeting (with its deadlines and side events: three, kept between requests), groups, the published
    # versions (the latest is the page's), agenda version and items (for the labels), sessions, Questions, and the
    # viewer's approved registration (for the join links); the calendar key and the memberships the subscription
    # link stands on; the approvals menu badge.
    with django_assert_num_queries(14):
        response = client.get(f"/meetings/{meeting.pk}/time-plan/")

    assert response.content.decode().count('id="session-') == count


@pytest.mark.parametrize("count", [1, 5])
def test_agenda_index_query_count_is_fixed(client, secretariat, registrant, count, django_assert_num_queries):
    for n in range(count):
        MeetingFactory(first_day=datetime.date(2020 + n, 3, 1))
    client.force_login(registrant)

    # User, groups, meetings.
    # + the approvals menu badge
    with django_assert_num_queries(4):
        response = client.get("/agendas/")

    assert response.status_code == 200


def test_index_is_public(client, published):
    response = client.get("/agendas/")

    assert response.status_code == 200
    assert published.display_title in response.content.decode()


def test_index_open_to_a_chair_who_is_no_member(client, published, chair):
    client.force_login(chair)

    response = client.get("/agendas/")

    assert response.status_code == 200
    assert published.display_title in response.content.decode()


def test_time_plan_of_other_affiliations_is_shared(client, published):
    """Any member reads a published time plan, registered for the meeting or not."""
    reader = AffiliationFactory().user
    client.force_login(reader)

    assert client.get(f"/meetings/{published.pk}/time-plan/").status_code == 200
    assert TimePlanVersion.objects.filter(meeting=published, number=1).exists()


def test_stale_session_edit_is_refused_and_keeps_what_was_typed(client, meeting, secretariat):
    colleague = UserFactory(given_name="Ana", family_name="Lopez")
    session = add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17")
    add_session(meeting, colleague, 1, "10:00", "12:00", "Q2/17")  # the draft is now at revision 2
    client.force_login(secretariat)

    response = client.post(
        f"/meetings/{meeting.pk}/time-plan/sessions/{session.pk}/edit/",
        {"revision": 1, "day": "2021-08-24", "start": "13:00", "end": "15:00", "title": "Q4/17 (moved)"},
    )

    page = response.content.decode()
    assert "Not saved: the draft was changed by Ana Lopez at " in page
    assert 'value="Q4/17 (moved)"' in page
    assert TimePlanVersion.objects.get(meeting=meeting, number=None).sessions.get(pk=session.pk).title == "Q4/17"


def test_compare_opens_on_the_two_latest_versions(client, published, secretariat, registrant):
    def revision():
        return AgendaVersion.objects.get(meeting=published, number=None).revision

    services.add_agenda_item(published, revision=revision(), by=secretariat, title="Late item")
    services.publish_agenda(published, revision=revision(), by=secretariat)
    client.force_login(registrant)
    form = client.get(f"/meetings/{published.pk}/agenda/compare/").context["form"]
    assert (form["old"].value(), form["new"].value()) == ("1", "2")
    same = client.get(f"/meetings/{published.pk}/agenda/compare/", {"old": "2", "new": "2"})
    assert same.context["form"].errors == {"new": ["Choose a version other than the one to compare from."]}
    assert same.context["changes"] is None


def test_annex_b_typed_when_creating_the_meeting_starts_the_draft_agenda(client, secretariat):
    from tests.meetings.test_secretariat_pages import _meeting_data

    client.force_login(secretariat)
    client.post(reverse("meetings:create"), _meeting_data(draft_agenda="1. Opening\n2. Results\na) Report\n3. Closing"))
    meeting = Meeting.objects.get()
    draft = AgendaVersion.objects.get(meeting=meeting, number=None)
    assert [(item.parent.title if item.parent else None, item.title) for item in draft.items.order_by("pk")] == [
        (None, "Opening"),
        (None, "Results"),
        (None, "Closing"),
        ("Results", "Report"),
    ]
    editor = client.get(reverse("agenda:agenda_draft", args=[meeting.pk])).content.decode()
    assert "Report" in editor


def test_manage_page_links_to_the_meetings_registrations_and_agenda(client, published, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("meetings:manage", args=[published.pk])).content.decode()
    assert f'href="{reverse("registration:meeting_registrations", args=[published.pk])}"' in page
    assert f'href="{reverse("agenda:agenda_draft", args=[published.pk])}"' in page


def test_the_editors_cached_items_are_shared_and_its_buttons_carry_each_readers_own_csrf_token(
    small_agenda, secretariat, secretariat_group
):
    """The editor's items are rendered once per revision and kept, with nothing of one reader in them: the second
    editor gets them from the cache. The buttons' template is rendered for each reader and works for him (his CSRF
    token, checked as in production); a move shows on the next request."""
    from django.test import Client

    from sg17portal.pagecache import agenda_version

    cache.clear()
    colleague = UserFactory(email="colleague@example.org")
    colleague.groups.add(secretariat_group)
    url = reverse("agenda:agenda_draft", args=[small_agenda.pk])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(secretariat)
    second.force_login(colleague)
    assert first.get(url).status_code == 200
    draft = AgendaVersion.objects.get(meeting=small_agenda, number=None)
    kept = cache.get(f"agenda:editor:{draft.pk}:{draft.revision}:en:{agenda_version()}")
    assert "Coordination" in kept  # what the second editor is served from
    assert "csrfmiddlewaretoken" not in kept

    page = second.get(url).content.decode()
    assert kept in page
    template = re.search(r'<template id="agenda-item-actions">(.*?)</template>', page, re.S).group(1)
    shift = re.search(
        r'<form method="post" action="([^"]+)".*?name="csrfmiddlewaretoken" value="([^"]+)".*?name="revision" '
        r'value="(\d+)"',
        template,
        re.S,
    )
    template_action, token, revision = shift.groups()
    assert template_action == reverse("agenda:agenda_item_shift", args=[small_agenda.pk, 0])
    # What the editor's script does with the template for the item "Results".
    item = draft_item(small_agenda, "Results")
    action = template_action.replace("/items/0/", f"/items/{item.pk}/")
    response = second.post(action, {"csrfmiddlewaretoken": token, "revision": revision, "direction": "up"})
    assert response.status_code == 302

    titles = re.findall(
        r'class="agenda-title" id="item-\d+-title" href="[^"]+">([^<]+)<', second.get(url).content.decode()
    )
    assert titles[:2] == ["Results", "Report"]
    # A token from another person's page is refused, as anywhere else.
    stolen = second.post(action, {"csrfmiddlewaretoken": "x" * 64, "revision": int(revision) + 1, "direction": "down"})
    assert stolen.status_code == 403


def test_an_items_page_has_its_buttons_for_a_browser_without_script(client, small_agenda, secretariat):
    """Without script the editor's items have no buttons: each title leads to the item's page, which has them."""
    client.force_login(secretariat)
    report = draft_item(small_agenda, "Report")
    editor = client.get(reverse("agenda:agenda_draft", args=[small_agenda.pk])).content.decode()
    edit_url = reverse("agenda:agenda_item_edit", args=[small_agenda.pk, report.pk])
    assert f'href="{edit_url}">Report</a>' in editor

    page = client.get(edit_url).content.decode()
    assert "Move or delete item 2 a)" in page
    for label in ("Move 2 a) up", "Move 2 a) down", "Outdent 2 a)", "Indent 2 a)", "Delete 2 a)"):
        assert f'aria-label="{label}"' in page
    assert f'href="{reverse("agenda:agenda_item_add", args=[small_agenda.pk])}?parent={report.pk}"' in page
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)

    response = client.post(
        reverse("agenda:agenda_item_shift", args=[small_agenda.pk, report.pk]),
        {"revision": revision, "direction": "outdent"},
        follow=True,
    )

    assert "Item “Report” moved." in response.content.decode()
    titles = re.findall(r'class="agenda-title" id="item-\d+-title" href="[^"]+">([^<]+)<', response.content.decode())
    assert titles == ["Opening", "Results", "AAP", "Report", "Coordination", "JCAs", "Closing"]


@pytest.mark.parametrize("model", [AgendaVersion, TimePlanVersion])
def test_the_draft_and_the_current_version_come_from_one_query(model, meeting, django_assert_num_queries):
    from django.utils import timezone

    from agenda import queries

    def read():
        with django_assert_num_queries(1):
            return queries.draft_and_current(model, meeting)

    draft, current = read()
    assert (draft.pk, draft.meeting, current) == (None, meeting, None)  # nobody started: an empty, unsaved draft

    first = model.objects.create(meeting=meeting, number=1, published_at=timezone.now())
    second = model.objects.create(meeting=meeting, number=2, published_at=timezone.now())
    draft, current = read()
    assert (draft.pk, current) == (None, second)

    started = model.objects.create(meeting=meeting, number=None)
    assert read() == (started, second)

    second.delete()
    assert read() == (started, first)
    with django_assert_num_queries(1):
        assert queries.published_and_current(model, meeting) == ([first], first)


def test_the_drafts_last_editor_is_named_as_they_are_called_now(client, meeting, secretariat):
    # The draft and its last editor are kept between requests (agenda.queries.draft_and_current): a change of the
    # draft, or of the editor's name, is on the next one.
    load_outline(meeting, "1. Opening", by=secretariat)
    client.force_login(secretariat)
    url = reverse("agenda:agenda_draft", args=[meeting.pk])
    assert f"Last changed by {secretariat.get_full_name()}" in client.get(url).content.decode()
    secretariat.family_name = "Renamed"
    secretariat.save()
    assert f"Last changed by {secretariat.get_full_name()}" in client.get(url).content.decode()
    colleague = UserFactory(given_name="Colleague")
    colleague.groups.set(secretariat.groups.all())
    load_outline(meeting, "2. Closing", by=colleague, revision=1)
    assert "Last changed by Colleague" in client.get(url).content.decode()


def test_the_editors_controls_carry_the_drafts_current_revision(client, meeting, secretariat):
    # The controls are a fragment kept with the page's heading and tools: a change of the draft is on the next page,
    # so its forms are not refused as stale.
    load_outline(meeting, "1. Opening", by=secretariat)
    client.force_login(secretariat)
    url = reverse("agenda:agenda_draft", args=[meeting.pk])

    def revisions() -> set[str]:
        return set(re.findall(r'name="revision" value="(\d+)"', client.get(url).content.decode()))

    assert revisions() == {"1"}
    load_outline(meeting, "2. Closing", by=secretariat, revision=1)
    assert revisions() == {"2"}
