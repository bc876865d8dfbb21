"""The secretariat reorders the draft agenda by drag and drop and with a button, publishes it; a delegate
then reads the new numbering and has a notice in the outbox."""

import re

import pytest
from playwright.sync_api import expect

from agenda import services
from agenda.models import AgendaItem
from agenda.outline import parse_outline
from notifications.models import OutgoingMail
from sg17portal.celery import app as celery_app
from tests.agenda.factories import make_member
from tests.factories import PASSWORD, MeetingFactory, UserFactory


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).not_to_contain_text("password you specified are not correct")


def numbered(page):
    rows = page.locator(".agenda-item > .agenda-row")
    return [" ".join(row.locator(".agenda-number, .agenda-title").all_inner_texts()) for row in rows.all()]


@pytest.fixture
def tasks_run_at_once(media_root):
    """The TD task runs in the request that publishes, as a worker would right after; its files go to tmp."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("tasks_run_at_once")
def test_secretariat_reorders_and_publishes_and_delegate_sees_it(page, browser, live_server, secretariat_group):
    secretariat = UserFactory(email="secretariat@example.org", given_name="Sofia", family_name="Martin")
    secretariat.groups.add(secretariat_group)
    meeting = MeetingFactory()
    delegate = make_member(UserFactory(email="delegate@example.org"), meeting)
    outline = parse_outline("1. Opening\n2. Results\na) Report\n3. Coordination\n4. Closing")
    services.import_outline(meeting, revision=0, by=secretariat, outline=outline, replace=False)
    closing = AgendaItem.objects.get(title="Closing")
    results = AgendaItem.objects.get(title="Results")

    log_in(page, live_server, secretariat.email)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/agenda/draft/")
    assert numbered(page) == ["1. Opening", "2. Results", "a) Report", "3. Coordination", "4. Closing"]

    # Drag "Closing" onto the upper edge of "Results": it goes before it.
    page.locator(f"#item-{closing.pk} > .agenda-row").drag_to(
        page.locator(f"#item-{results.pk} > .agenda-row"), target_position={"x": 40, "y": 2}
    )
    expect(page.locator(f"#item-{closing.pk} > .agenda-row .agenda-number")).to_have_text("2.")
    assert numbered(page) == ["1. Opening", "2. Closing", "3. Results", "a) Report", "4. Coordination"]

    # With the button "Move 4 up": the move is made in place, the focus is on the item moved.
    page.get_by_role("button", name="Move 4 up").click()
    expect(page.get_by_role("treeitem", name="3. Coordination")).to_be_focused()
    assert numbered(page) == ["1. Opening", "2. Closing", "3. Coordination", "4. Results", "a) Report"]

    page.get_by_role("link", name="Publish…").click()
    expect(page.locator("main")).to_contain_text("The first version")
    page.fill("input[name=note]", "Closing moved forward")
    page.get_by_role("button", name="Publish").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting.pk}/agenda/v1/$"))
    expect(page.locator(".messages")).to_contain_text("Version 1 of the agenda is published.")
    expect(page.locator(".agenda-version-line")).to_contain_text("issued as TD 1 (PLEN)")

    delegate_page = browser.new_context().new_page()
    log_in(delegate_page, live_server, delegate.email)
    delegate_page.goto(f"{live_server.url}/meetings/{meeting.pk}/agenda/")
    assert numbered(delegate_page) == ["1. Opening", "2. Closing", "3. Coordination", "4. Results", "a) Report"]
    expect(delegate_page.locator("main")).to_contain_text("Closing moved forward")
    expect(delegate_page.get_by_role("link", name="TD 1 (PLEN)")).to_be_visible()
    expect(delegate_page.locator("main")).not_to_contain_text("Draft agenda")

    notice = OutgoingMail.objects.get(recipient=delegate.email)
    assert notice.subject == f"[ITU-T SG portal] Agenda version 1 – {meeting}"
    assert f"/meetings/{meeting.pk}/agenda/v1/" in notice.body_text
    assert "This is the first published version." in notice.body_text
