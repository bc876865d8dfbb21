"""The registration section of the meeting page: state, Register button, join details for approved only."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from meetings.extensions import meeting_page_sections
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def render_panel(meeting, user):
    request = RequestFactory().get(meeting.get_absolute_url())
    request.user = user
    return render_to_string("registration/_meeting_panel.html", {"meeting": meeting, "user": user, "request": request})


def test_meeting_panel_is_registered_as_a_meeting_page_section():
    assert "registration/_meeting_panel.html" in meeting_page_sections()


def test_meeting_panel_approved_delegate_sees_join_details(meeting, delegate, entity):
    RegistrationFactory(meeting=meeting, delegate=delegate, entity=entity, state="approved")

    html = render_panel(meeting, delegate)

    assert 'href="https://mymeetings.example.org/sg17"' in html
    assert "(meeting ID 123 456)" in html
    assert "Approved" in html


@pytest.mark.parametrize("state", ["pending", "rejected", "cancelled"])
def test_meeting_panel_others_are_told_details_come_with_confirmation(meeting, delegate, entity, state):
    RegistrationFactory(meeting=meeting, delegate=delegate, entity=entity, state=state)

    html = render_panel(meeting, delegate)

    assert "meeting ID 123 456" not in html
    assert "The remote-participation details come with a confirmed registration." in html


def test_meeting_panel_anonymous_gets_login_to_register(meeting):
    html = render_panel(meeting, AnonymousUser())

    assert "Log in to register" in html
    assert "meeting ID 123 456" not in html


def test_meeting_panel_uses_few_queries(meeting, delegate, entity, django_assert_num_queries):
    RegistrationFactory(meeting=meeting, delegate=delegate, entity=entity, state="approved")

    # the registration; the secretariat check (groups; no model permissions: not staff); a registered person's panel
    # needs no deadline
    with django_assert_num_queries(2):
        render_panel(meeting, delegate)
