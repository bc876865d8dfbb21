"""A delegate who uses only the keyboard signs in, registers for a meeting with a visa request, follows the error
summary to the field left empty, fixes it and submits."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from registration.models import Affiliation, Registration
from tests.factories import PASSWORD, AffiliationFactory, MemberEntityFactory, UserFactory
from tests.registration.factories import upcoming_meeting


def tab_to(page, selector, *, limit=80):
    """Presses Tab until the focused element matches ``selector``; fails if it is not reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def focused(page, selector):
    return page.evaluate("(selector) => document.activeElement.matches(selector)", selector)


@pytest.mark.django_db(transaction=True)
def test_keyboard_only_registration_with_visa_request_fixed_from_the_error_summary(live_server, page):
    meeting = upcoming_meeting()
    entity = MemberEntityFactory(name="Federal Republic of Nigeria", country="NG")
    delegate = UserFactory(email="ngozi.eze@example.org", given_name="Ngozi", family_name="Eze")
    AffiliationFactory(user=delegate, entity=entity, state=Affiliation.State.APPROVED)

    page.goto(f"{live_server.url}{reverse('account_login')}")
    tab_to(page, "#id_login")
    page.keyboard.type(delegate.email)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(f"{live_server.url}{reverse('registration:register', args=[meeting.pk])}")
    tab_to(page, "#id_entity")
    page.keyboard.press("ArrowDown")  # the one entity of the delegate
    expect(page.locator("#id_passport_number")).to_be_hidden()  # asked only with a visa request
    tab_to(page, "#id_visa_support_requested")
    page.keyboard.press("Space")
    expect(page.locator("#id_passport_number")).to_be_visible()
    tab_to(page, "#id_nationality")
    page.keyboard.type("Nigeria")
    tab_to(page, "[type=submit][value=Register]")
    page.keyboard.press("Enter")

    # Back with one error: focus is on the summary, whose link leads to the empty field.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Enter your passport number: the visa-support letter needs it."])
    page.keyboard.press("Tab")
    assert focused(page, "[data-error-summary] a")
    page.keyboard.press("Enter")
    expect(page.locator("#id_passport_number")).to_be_focused()
    page.keyboard.type("A07654321")
    page.keyboard.press("Enter")

    expect(page.locator("[data-registration-state]")).to_have_text("Pending approval")
    registration = Registration.objects.get(delegate=delegate, meeting=meeting)
    assert (registration.entity, registration.visa_support_requested, registration.nationality) == (entity, True, "NG")
    assert registration.passport_number == "A07654321"
