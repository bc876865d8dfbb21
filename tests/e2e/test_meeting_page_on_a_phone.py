"""On a 390 px phone the meeting page shows the person's next action (register, post a contribution, join)
within the first screen, before the facts, deadlines and side events that read like the letter."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from registration.models import Affiliation, Registration
from tests.e2e.accessibility import signed_in_context
from tests.factories import AffiliationFactory, MemberEntityFactory, RegistrationFactory, UserFactory
from tests.meetings.factories import SideEventFactory
from tests.registration.factories import upcoming_meeting

PHONE = {"width": 390, "height": 844}


def _meeting():
    meeting = upcoming_meeting(
        title="Hybrid meeting of ITU-T Study Group 17 (Security) with its working parties",
        join_details="Zoom: https://itu.zoom.us/j/123456789, passcode 2026",
    )
    for number in range(4):
        SideEventFactory(meeting=meeting, title=f"Side event {number}: SG17 Overview for Newcomers")
    return meeting


def _delegate(registration_state=None, meeting=None):
    entity = MemberEntityFactory(name="Republic of Korea", country="KR")
    delegate = UserFactory(email="delegate@example.org", given_name="Daniel", family_name="Okafor")
    AffiliationFactory(user=delegate, entity=entity, state=Affiliation.State.APPROVED)
    if registration_state:
        RegistrationFactory(meeting=meeting, delegate=delegate, entity=entity, state=registration_state)
    return delegate


# (who, what the person's next action is on the page)
CASES = [
    ("anonymous", lambda page: page.get_by_role("link", name="Log in to register")),
    ("delegate", lambda page: page.get_by_role("link", name="Register", exact=True)),
    ("pending", lambda page: page.get_by_role("link", name="Post a contribution")),
    ("approved", lambda page: page.locator(".join-details")),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("who", "action"), CASES, ids=[case[0] for case in CASES])
def test_meeting_page_on_a_phone_shows_the_next_action_on_the_first_screen(live_server, browser, who, action):
    meeting = _meeting()
    person = {
        "anonymous": lambda: None,
        "delegate": lambda: _delegate(),
        "pending": lambda: _delegate(Registration.State.PENDING, meeting),
        "approved": lambda: _delegate(Registration.State.APPROVED, meeting),
    }[who]()
    context = signed_in_context(browser, live_server.url, person, viewport=PHONE)
    page = context.new_page()
    page.goto(reverse("meetings:detail", args=[meeting.pk]))

    target = action(page)
    expect(target).to_be_visible()
    top = target.bounding_box()["y"]
    facts = page.locator("#facts-title").bounding_box()["y"]
    print(f"{who}: next action at {top:.0f} px, the meeting's facts at {facts:.0f} px")
    context.close()
    assert top + 40 <= PHONE["height"]
    assert top < facts
