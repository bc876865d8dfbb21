"""An anonymous visitor goes from the home page to the published time plan and agenda of an upcoming meeting and
sees no link to join; an approved registrant sees it on the same page."""

import pytest
from playwright.sync_api import expect

from agenda import services
from agenda.outline import parse_outline
from tests.agenda.factories import add_session, make_member
from tests.e2e.test_agenda_journey import log_in
from tests.factories import UserFactory, open_meeting

JOIN = "https://mymeetings.example.org/sg17/q4-join"


@pytest.mark.django_db(transaction=True)
def test_anonymous_visitor_reaches_published_time_plan_and_agenda_without_join_link(
    page, live_server, secretariat_group
):
    secretariat = UserFactory(email="secretariat@example.org")
    secretariat.groups.add(secretariat_group)
    meeting = open_meeting()
    outline = parse_outline("1. Opening\n2. Security architecture\n3. Closing")
    services.import_outline(meeting, revision=0, by=secretariat, outline=outline, replace=False)
    services.publish_agenda(meeting, revision=1, by=secretariat)
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17 Cybersecurity", join_url=JOIN)
    services.publish_time_plan(meeting, revision=1, by=secretariat)
    # A later draft session stays with the secretariat.
    add_session(meeting, secretariat, 1, "10:00", "12:00", "Unpublished draft session")
    registrant = make_member(UserFactory(email="registrant@example.org"), meeting)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name=meeting.display_title).first.click()
    page.locator("#agenda-panel-title + ul").get_by_role("link", name="Time plan").click()

    expect(page.locator("main")).to_contain_text("Q4/17 Cybersecurity")
    expect(page.locator("main")).not_to_contain_text("Unpublished draft session")
    expect(page.locator("#join-links-note")).to_be_visible()
    expect(page.locator(f"a[href='{JOIN}']")).to_have_count(0)
    expect(page.get_by_role("link", name="Draft time plan")).to_have_count(0)

    page.get_by_role("link", name="Agenda", exact=True).click()
    expect(page.locator("main")).to_contain_text("Security architecture")
    expect(page.get_by_role("link", name="Draft agenda")).to_have_count(0)

    log_in(page, live_server, registrant.email)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/time-plan/")
    expect(page.locator(f"a.join-link[href='{JOIN}']")).to_be_visible()
