"""Two journeys through registration in Chromium, on the demo data."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting
from notifications.models import OutgoingMail
from registration.models import Affiliation, MemberEntity, Registration
from tests.factories import UserFactory

DEMO_PASSWORD = "portal-demo-2026"
PASSWORD = "Correct-Horse-7-Battery"


def upcoming_sg17_meeting() -> Meeting:
    meeting = (
        Meeting.objects.filter(
            study_group__number=17, state=Meeting.State.ANNOUNCED, first_day__gt=timezone.localdate()
        )
        .order_by("first_day")
        .first()
    )
    assert meeting is not None
    assert meeting.join_details
    return meeting


def log_in(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()


def register_for(page, base, meeting, entity_name):
    page.goto(f"{base}/registration/")
    page.locator("li", has_text=str(meeting)).get_by_role("link", name="Register").click()
    page.get_by_label("Member entity you represent").select_option(label=entity_name)
    page.get_by_label("Remote").check()
    page.get_by_role("button", name="Register").click()


@pytest.mark.django_db(transaction=True)
def test_registration_new_delegate_is_approved_by_focal_point(live_server, page):
    call_command("load_demo")
    meeting = upcoming_sg17_meeting()
    base, email = live_server.url, "amina.bello@example.org"

    # A new delegate signs up and verifies the address with the link mailed through the outbox.
    page.goto(f"{base}/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_given_name").fill("Amina")
    page.locator("#id_family_name").fill("Bello")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    verification = OutgoingMail.objects.get(recipient=email)
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", verification.body_text).group(1)
    page.goto(f"{base}{path}")
    page.get_by_role("button", name="Confirm").click()
    # Confirming the address signs her in, on the home page that says what to do next.
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator(".messages")).to_contain_text("Next step: ask your member entity to confirm you")
    expect(page.locator("#home-membership")).to_contain_text("Ask your entity to confirm you")

    # She asks to be recognised as a member of the Republic of Korea, then registers for the meeting.
    page.goto(f"{base}/registration/")
    page.get_by_role("link", name="Ask to be recognised as a member of an entity").click()
    page.get_by_label("Member entity").select_option(label="Republic of Korea")
    page.get_by_role("button", name="Ask to be recognised as a member").click()
    expect(page.get_by_text("Your request was sent to the entity's focal points.")).to_be_visible()
    register_for(page, base, meeting, "Republic of Korea")
    expect(page.locator("[data-registration-state]")).to_have_text("Pending approval")
    expect(page.get_by_text("The remote-participation details come with a confirmed registration.")).to_be_visible()
    log_out(page)

    # The focal point finds it in her queue and approves it.
    log_in(page, base, "focal.point@example.org", DEMO_PASSWORD)
    page.goto(f"{base}/registration/")
    page.get_by_role("link", name="Approval queue").click()
    row = page.locator("#queue tbody tr", has_text="Amina Bello")
    expect(row).to_contain_text(str(meeting))
    row.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Amina Bello's registration is approved.")).to_be_visible()
    log_out(page)

    # The delegate sees it approved, with the join details.
    log_in(page, base, email, PASSWORD)
    page.goto(f"{base}/registration/")
    expect(page.locator("[data-registration-state]")).to_have_text("Approved")
    page.get_by_role("link", name=str(meeting)).first.click()
    for line in meeting.join_details.splitlines():
        expect(page.locator(".join-details")).to_contain_text(line.strip())

    registration = Registration.objects.get(delegate__email=email)
    assert Affiliation.objects.get(user__email=email).state == Affiliation.State.APPROVED
    notice = OutgoingMail.objects.get(dedupe_key__startswith=f"registration:{registration.pk}:new_request:")
    approval = OutgoingMail.objects.get(dedupe_key=f"registration:{registration.pk}:approved")
    assert (notice.recipient, approval.recipient) == ("focal.point@example.org", email)
    assert meeting.join_details in approval.body_text


@pytest.mark.django_db(transaction=True)
def test_registration_entity_with_automatic_approval_approves_at_once(live_server, page):
    call_command("load_demo")
    meeting = upcoming_sg17_meeting()
    switzerland = MemberEntity.objects.get(auto_approval=True, name="Administration of Switzerland")
    person = UserFactory(email="lea.meier@example.org", given_name="Léa", family_name="Meier", password=PASSWORD)
    Affiliation.objects.create(user=person, entity=switzerland, state=Affiliation.State.APPROVED)

    log_in(page, live_server.url, person.email, PASSWORD)
    register_for(page, live_server.url, meeting, "Administration of Switzerland")

    expect(page.get_by_text("You are registered: your registration is approved.")).to_be_visible()
    expect(page.locator("[data-registration-state]")).to_have_text("Approved")
    expect(page.get_by_text("(approved automatically)")).to_be_visible()
    for line in meeting.join_details.splitlines():
        expect(page.locator(".join-details")).to_contain_text(line.strip())
    registration = Registration.objects.get(delegate=person)
    approval = OutgoingMail.objects.get(dedupe_key=f"registration:{registration.pk}:approved")
    assert "(automatic approval)" in approval.body_text
    assert (
        not OutgoingMail.objects.filter(dedupe_key__contains=":new_request:")
        .filter(dedupe_key__startswith=f"registration:{registration.pk}:")
        .exists()
    )
