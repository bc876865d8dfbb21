import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, MeetingFactory


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_under_the_portal_csp_and_a_token_created_on_the_profile_reads_meetings(
    page, live_server, delegate
):
    meeting = MeetingFactory()
    violations, outside = [], []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)

    # The documentation: Swagger UI from the package's own files, its start-up script loaded by URL.
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ITU-T Study Group Portal API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock").count() >= 20
    assert (violations, [u for u in outside if not u.startswith("data:")]) == ([], [])

    # A delegate creates a token on the profile; it is shown once and reads the meetings.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", delegate.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/profile/tokens/")
    page.get_by_label("Name").fill("calendar sync")
    page.get_by_label("Read meetings, deadlines, agenda and time plan").check()
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("sgp_")

    answer = page.request.get(
        f"{live_server.url}/api/v1/meetings/{meeting.pk}/", headers={"Authorization": f"Bearer {token}"}
    )
    assert (answer.status, answer.json()["id"]) == (200, meeting.pk)
    page.reload()  # the token was handed over once: reloading neither shows it again nor makes another
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_role("cell", name="calendar sync")).to_be_visible()
