"""A focal point goes from the home page's badge to approving a filtered batch; a delegate changes their
registration before the registration deadline and cannot after it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import OutgoingMail
from registration import services
from registration.models import Registration
from tests.e2e.test_agenda_journey import log_in
from tests.factories import AffiliationFactory, MemberEntityFactory, RegistrationFactory, UserFactory, open_meeting


@pytest.mark.django_db(transaction=True)
def test_focal_point_goes_from_the_badge_to_approving_a_filtered_batch(page, live_server):
    focal_point = UserFactory(email="focal.point@example.org")
    entity = MemberEntityFactory(name="Republic of Korea", focal_points=[focal_point])
    first = open_meeting(format="hybrid", venue="ITU headquarters, Geneva")
    second = open_meeting(first_day=timezone.localdate() + datetime.timedelta(days=150))
    batch = [
        RegistrationFactory(meeting=first, entity=entity, fellowship_requested=True),
        RegistrationFactory(meeting=first, entity=entity, visa_support_requested=True, nationality="KR"),
    ]
    untouched = RegistrationFactory(meeting=second, entity=entity)

    log_in(page, live_server, focal_point.email)
    page.goto(live_server.url + "/")
    expect(page.locator("#approvals-badge")).to_contain_text("3")
    page.locator("#home-pending-by-meeting").get_by_role("link", name=str(first), exact=False).click()

    rows = page.locator("#queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="fellowship requested")).to_have_count(1)
    expect(rows.filter(has_text="visa support requested")).to_have_count(1)
    page.locator("#select-all").check()
    page.locator("#bulk-action").select_option("approve")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".messages")).to_contain_text("2 registrations approved.")
    expect(page.locator("#approvals-badge")).to_contain_text("1")

    states = dict(Registration.objects.values_list("pk", "state"))
    assert states == {batch[0].pk: "approved", batch[1].pk: "approved", untouched.pk: "pending"}


@pytest.mark.django_db(transaction=True)
def test_delegate_changes_the_registration_before_the_deadline_and_not_after(page, live_server):
    meeting = open_meeting(format="hybrid", venue="ITU headquarters, Geneva")
    focal_point = UserFactory(email="focal.point@example.org")
    entity = MemberEntityFactory(focal_points=[focal_point])
    delegate = AffiliationFactory(user=UserFactory(email="delegate@example.org"), entity=entity).user
    registration = services.register(meeting, delegate=delegate, entity=entity, by=delegate)
    services.approve_registration(registration, by=focal_point)

    log_in(page, live_server, delegate.email)
    page.goto(live_server.url + registration.get_absolute_url())
    page.locator("#edit-registration").click()
    page.get_by_label("In person").check()
    page.get_by_label("I need a visa-support letter").check()
    page.get_by_label("Nationality").select_option("NG")
    page.get_by_label("Passport number").fill("A7654321")
    page.get_by_role("button", name="Save the changes").click()

    expect(page.locator(".messages")).to_contain_text("Your registration is saved with the changes")
    expect(page.locator("[data-registration-state]")).to_have_text("Approved")
    expect(page.locator("#visa-details")).to_contain_text("A7654321")
    expect(page.locator("#next-visa")).to_be_visible()
    expect(page.locator("main")).to_contain_text("participation: Remote → In person")
    told = OutgoingMail.objects.filter(recipient=focal_point.email, dedupe_key__contains=":changed:")
    assert told.count() == 1

    # The registration deadline passes (moved to yesterday, saved as the secretariat's override saves it): no more
    # changes.
    deadline = meeting.deadlines.get(kind="registration")
    deadline.day = timezone.localdate() - datetime.timedelta(days=1)
    deadline.save(update_fields=["day"])
    page.reload()
    expect(page.locator("#edit-registration")).to_have_count(0)
    page.goto(f"{live_server.url}/registration/{registration.pk}/edit/")
    expect(page.locator(".messages")).to_contain_text("can no longer be changed")
    registration.refresh_from_db()
    assert (registration.participation, registration.passport_number) == ("in_person", "A7654321")
