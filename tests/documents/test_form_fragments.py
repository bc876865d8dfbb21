"""The contribution form's cached fragment, and the documents pages answered from a warm cache.

The empty contribution form is kept per person (sg17portal.fragments): a change of what it offers (an entity
confirmed, a Question added, the person made secretariat) shows on the next request, a form sent back keeps what
was entered, and every role gets the same answer from a warm cache as from a cold one.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from meetings.models import Question
from registration import services as registration
from registration.models import Affiliation
from tests.clients import CSRF_TOKEN, cold_and_warm, signed_in
from tests.factories import MemberEntityFactory

from . import test_permissions as permissions

pytestmark = pytest.mark.django_db


def form_page(client, meeting) -> str:
    response = client.get(reverse("documents:post_contribution", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def entity_options(html: str) -> set[str]:
    select = re.search(r'<select name="entity".*?</select>', html, re.S).group(0)
    return set(re.findall(r'<option value="(\d+)"', select))


def test_an_entity_confirmed_is_offered_on_the_next_request(meeting, member, entity, focal_point):
    client = signed_in(member)
    assert entity_options(form_page(client, meeting)) == {str(entity.pk)}
    second = MemberEntityFactory(name="Korea Telecom", focal_points=[focal_point])
    affiliation = registration.request_affiliation(member, entity=second)
    assert entity_options(form_page(client, meeting)) == {str(entity.pk)}  # not confirmed yet
    registration.confirm_affiliation(affiliation, by=focal_point)
    assert Affiliation.objects.get(pk=affiliation.pk).state == Affiliation.State.APPROVED
    assert entity_options(form_page(client, meeting)) == {str(entity.pk), str(second.pk)}


def test_a_new_question_is_offered_on_the_next_request(meeting, member):
    client = signed_in(member)
    assert "Q29/17" not in form_page(client, meeting)
    Question.objects.create(study_group=meeting.study_group, number=29, title="A Question made today")
    assert "Q29/17" in form_page(client, meeting)


def test_a_person_made_secretariat_is_offered_every_entity_at_once(meeting, member, entity, other_entity):
    client = signed_in(member)
    assert entity_options(form_page(client, meeting)) == {str(entity.pk)}
    member.groups.add(Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP)[0])
    assert entity_options(form_page(client, meeting)) == {str(entity.pk), str(other_entity.pk)}


def test_a_form_sent_back_keeps_what_was_entered_and_is_never_stored(meeting, member):
    client = signed_in(member, enforce_csrf_checks=True)
    token = CSRF_TOKEN.search(form_page(client, meeting)).group(1)
    form_page(client, meeting)  # from the cache
    response = client.post(
        reverse("documents:post_contribution", args=[meeting.pk]),
        {"csrfmiddlewaretoken": token, "title": "A title without its file"},
    )
    assert response.status_code == 200
    assert "A title without its file" in response.content.decode()
    assert "is-invalid" in response.content.decode()
    again = form_page(client, meeting)
    assert "A title without its file" not in again
    assert "is-invalid" not in again


@pytest.fixture
def world(meeting, member, entity, other_member, secretariat):
    return permissions.documents_world(
        meeting=meeting, member=member, entity=entity, other_member=other_member, by=secretariat
    )


GET_ROWS = [row for row in permissions.TABLE if row[1] == "get"]


@pytest.mark.parametrize(("name", "method", "url", "expected"), GET_ROWS, ids=[row[0] for row in GET_ROWS])
def test_every_role_gets_the_same_page_from_a_warm_cache_as_from_a_cold_one(world, name, method, url, expected):
    address = url(world)
    users = world["users"]
    clients = {role: signed_in(users[role]) if role in users else Client() for role in permissions.ROLES}
    cold, warm = cold_and_warm(clients, address)
    assert warm == cold
    assert tuple(cold[role][0] for role in permissions.ROLES) == expected


def test_a_revision_sent_back_keeps_its_note_and_errors_and_is_never_stored(meeting, member, entity):
    from django.utils import translation

    from documents import services as documents
    from tests.documents.factories import upload

    document = documents.post_contribution(meeting, entity=entity, title="To revise", files=[upload()], by=member)
    client = signed_in(member, enforce_csrf_checks=True)
    url = reverse("documents:revise", args=[document.pk])
    token = CSRF_TOKEN.search(client.get(url).content.decode()).group(1)
    client.get(url)  # the empty form's fields from the cache
    response = client.post(url, {"csrfmiddlewaretoken": token, "note": "A note without its file"})
    assert response.status_code == 200
    assert "A note without its file" in response.content.decode()
    assert "is-invalid" in response.content.decode()
    again = client.get(url).content.decode()
    assert "A note without its file" not in again
    assert "is-invalid" not in again
    # Each language has its own fields.
    with translation.override("fr"):
        french = client.get(reverse("documents:revise", args=[document.pk])).content.decode()
        french_label = translation.gettext("What changed")
    assert french_label != "What changed"
    assert french_label in french
    assert "What changed" in again
