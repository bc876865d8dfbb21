"""No select of the portal offers "---------": an empty choice says what to pick.

Walks every page of the permission tables for every role (the list the accessibility test checks), which
holds every form of the portal, and the forms' pages once submitted empty.
"""

import pytest
from django.test import Client
from django.urls import reverse

from sg17portal.forms import BLANK_LABEL
from tests.e2e.accessibility import ROLES, build_world, pages_for
from tests.factories import UserFactory


@pytest.mark.django_db
def test_no_select_of_any_page_offers_dashes(secretariat, media_root):
    world = build_world(secretariat)
    found = []
    for role in ROLES:
        client = Client()
        person = world["people"].get(role)
        if person is not None:
            client.force_login(person)
        for url in pages_for(role, world):
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            if BLANK_LABEL.encode() in response.content:
                found.append(f"{role}: {url}")
    assert found == []


@pytest.mark.django_db
def test_registration_form_submitted_empty_says_what_to_choose(client):
    from tests.registration.factories import upcoming_meeting

    meeting = upcoming_meeting()
    client.force_login(UserFactory())

    response = client.post(reverse("registration:register", args=[meeting.pk]), {})

    assert BLANK_LABEL.encode() not in response.content
    assert response.context["form"]["entity"].field.choices[0] == ("", "Choose the member entity you represent")
