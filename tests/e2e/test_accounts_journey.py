import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from notifications.models import OutgoingMail

pytestmark = pytest.mark.django_db(transaction=True)


def test_delegate_signs_up_confirms_is_signed_in_edits_profile_and_logs_out(live_server, page):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label(re.compile(r"^\s*Email")).fill("amina.diallo@example.org")
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Diallo")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill("a-very-long-passphrase-2026")
    page.get_by_label(re.compile(r"^\s*Password \(again\)")).fill("a-very-long-passphrase-2026")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    mail = OutgoingMail.objects.get(recipient="amina.diallo@example.org")
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.body_text).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have confirmed amina.diallo@example.org.")).to_be_visible()
    # Confirming in the browser that signed up signs her in, on the home page with her next step.
    expect(page.get_by_role("link", name="Amina")).to_be_visible()
    expect(page.locator("#home-membership")).to_contain_text("Ask your entity to confirm you")

    page.get_by_role("link", name="Amina").click()
    page.get_by_label("Country").select_option("SN")
    page.get_by_label("Time zone").select_option("Africa/Dakar")
    page.get_by_label("Telephone").fill("+221 33 123 45 67")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_text("Your details have been saved.")).to_be_visible()
    user = User.objects.get(email="amina.diallo@example.org")
    assert (user.country.code, user.time_zone, user.phone) == ("SN", "Africa/Dakar", "+221 33 123 45 67")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
