"""The secretariat moves a deadline of an announced meeting: an addendum appears with what changed, the letter
stays as issued, and one mail per registrant is queued."""

import datetime

import pytest
from playwright.sync_api import expect

from meetings import services
from meetings.models import KeyDeadline, Meeting
from notifications.models import OutgoingMail
from registration.models import Registration
from tests.e2e.test_agenda_journey import log_in
from tests.factories import RegistrationFactory, UserFactory, open_meeting


def day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


@pytest.mark.django_db(transaction=True)
def test_secretariat_moves_a_deadline_and_the_addendum_appears(page, live_server, secretariat_group):
    secretariat = UserFactory(email="secretariat@example.org")
    secretariat.groups.add(secretariat_group)
    meeting = services.announce_meeting(
        open_meeting(state=Meeting.State.DRAFT, signatory="Seizo Onoe", signatory_title="Director"), by=secretariat
    )
    registrants = [
        RegistrationFactory(meeting=meeting, state=state).delegate
        for state in (Registration.State.PENDING, Registration.State.APPROVED, Registration.State.APPROVED)
    ]
    deadline = meeting.deadlines.get(kind=KeyDeadline.Kind.REGISTRATION)
    issued_day, new_day = deadline.day, deadline.day - datetime.timedelta(days=6)

    log_in(page, live_server, secretariat.email)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/manage/")
    page.locator(f"a[href='/meetings/{meeting.pk}/deadlines/registration/']").click()
    expect(page.locator("#addendum-notice")).to_contain_text(meeting.letter_reference)
    page.fill("input[name=day]", new_day.isoformat())
    page.fill("[name=reason]", "The host country asks for earlier visa requests")
    page.locator("main form [type=submit]").click()

    reference = f"Addendum 1 to {meeting.letter_reference}"
    expect(page.locator(".messages")).to_contain_text(f"{reference} was issued")

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("#addendum-reference")).to_contain_text(reference)
    expect(page.locator("#addendum-changes")).to_contain_text(day(issued_day))
    expect(page.locator("#addendum-changes")).to_contain_text(day(new_day))

    page.get_by_role("link", name="The collective letter as issued").click()
    letter = page.locator("#letter-as-issued")
    expect(letter).to_contain_text(day(issued_day))
    expect(letter).not_to_contain_text(day(new_day))

    queued = sorted(OutgoingMail.objects.filter(dedupe_key__startswith="meetings:addendum:").values_list("recipient"))
    assert queued == sorted((person.email,) for person in registrants)
