"""The registration pages' cached fragments: the queue, the secretariat's list and the empty registration form.

Each page is requested once to store its fragment, then the data it shows is changed the way the portal changes it
(a service, a form, a sign-in), and the very next request must show the change. Forms in a stored fragment carry
the token of the request they are served to.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.deadlines import VISA
from meetings.services import override_key_deadline, sync_key_deadlines
from registration import services
from registration.fragments import registrations_version
from registration.models import Affiliation, Registration
from registration.services.reminders import expire_pending_registrations
from sg17portal.fragments import TOKEN_PLACEHOLDER
from tests.clients import CSRF_TOKEN, cold_and_warm, signed_in
from tests.factories import PASSWORD, RegistrationFactory, UserFactory, member_of
from tests.registration import test_permissions as permissions

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert TOKEN_PLACEHOLDER not in html
    return html


def queue_rows(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr data-registration="(\d+)">', html)}


@pytest.fixture
def pending(meeting, entity):
    return [
        RegistrationFactory(meeting=meeting, entity=entity, delegate=member_of(entity, family_name=f"Lee{n}"))
        for n in range(3)
    ]


class TestQueue:
    url = reverse("registration:queue")

    def test_a_new_registration_shows_on_the_next_request(self, focal_point, meeting, entity, pending):
        client = signed_in(focal_point)
        assert queue_rows(page(client, self.url)) == {r.pk for r in pending}
        newcomer = member_of(entity, given_name="Nadia", family_name="Haddad")
        registration = services.register(meeting, delegate=newcomer, entity=entity, by=newcomer)
        html = page(client, self.url)
        assert registration.pk in queue_rows(html)
        assert "Nadia Haddad" in html

    def test_decisions_by_form_and_in_bulk_leave_the_queue_at_once(self, focal_point, pending):
        client = signed_in(focal_point, enforce_csrf_checks=True)
        html = page(client, self.url)
        page(client, self.url)  # served from the cache: its forms must carry this session's token
        token = CSRF_TOKEN.search(html).group(1)
        first, second, third = pending
        response = client.post(reverse("registration:approve", args=[first.pk]), {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert queue_rows(page(client, self.url)) == {second.pk, third.pk}
        response = client.post(
            self.url,
            {
                "csrfmiddlewaretoken": token,
                "action": "reject",
                "reason": "Not in the delegation.",
                "registration": [second.pk],
            },
        )
        assert response.status_code == 302
        assert queue_rows(page(client, self.url)) == {third.pk}

    def test_each_session_gets_its_own_token_in_the_stored_rows(self, focal_point, pending):
        one, other = signed_in(focal_point, enforce_csrf_checks=True), signed_in(focal_point, enforce_csrf_checks=True)
        tokens_one = set(CSRF_TOKEN.findall(page(one, self.url)))
        tokens_other = set(CSRF_TOKEN.findall(page(other, self.url)))  # the fragment the first session stored
        assert len(tokens_one) == len(tokens_other) == 1
        assert tokens_one != tokens_other
        response = other.post(
            reverse("registration:approve", args=[pending[0].pk]), {"csrfmiddlewaretoken": tokens_other.pop()}
        )
        assert response.status_code == 302
        assert Registration.objects.get(pk=pending[0].pk).state == Registration.State.APPROVED

    def test_a_cancellation_and_an_expiry_leave_the_queue_at_once(self, focal_point, meeting, pending):
        client = signed_in(focal_point)
        page(client, self.url)
        services.cancel_registration(pending[0], by=pending[0].delegate)
        assert queue_rows(page(client, self.url)) == {pending[1].pk, pending[2].pk}
        expire_pending_registrations(now=meeting.starts_at + datetime.timedelta(hours=1))
        assert queue_rows(page(client, self.url)) == set()

    def test_names_of_people_and_entities_show_as_they_are_now(self, focal_point, entity, pending):
        client = signed_in(focal_point)
        assert "Lee0" in page(client, self.url)
        person = pending[0].delegate
        person.family_name = "Lee-Park"
        person.save()
        entity.name = "Republic of Korea (MSIT)"
        entity.save()
        html = page(client, self.url)
        assert "Lee-Park" in html
        assert "Republic of Korea (MSIT)" in html

    def test_a_new_focal_point_sees_the_queue_and_one_removed_no_longer_does(
        self, focal_point, other_focal_point, entity, pending
    ):
        client = signed_in(other_focal_point)
        assert client.get(self.url).status_code == 403
        entity.focal_points.add(other_focal_point)
        assert queue_rows(page(client, self.url)) == {r.pk for r in pending}
        entity.focal_points.remove(other_focal_point)
        assert client.get(self.url).status_code == 403
        # Hana's own queue, stored before, is hers alone: Otto's rows never reached it and the other way round.
        assert queue_rows(page(signed_in(focal_point), self.url)) == {r.pk for r in pending}

    def test_an_affiliation_request_shows_and_leaves_at_once(self, focal_point, entity, pending):
        client = signed_in(focal_point)
        assert "Asked Tomorrow" not in page(client, self.url)
        person = UserFactory(given_name="Asked", family_name="Tomorrow")
        affiliation = services.request_affiliation(person, entity=entity)
        assert "Asked Tomorrow" in page(client, self.url)
        services.confirm_affiliation(affiliation, by=focal_point)
        assert "Asked Tomorrow" not in page(client, self.url)


class TestSecretariatList:
    def url(self, meeting, query=""):
        return reverse("registration:meeting_registrations", args=[meeting.pk]) + query

    def test_every_change_of_state_shows_on_the_next_request(self, secretariat, focal_point, meeting, pending):
        client = signed_in(secretariat)
        html = page(client, self.url(meeting))
        assert html.count(">Pending approval</span>") == 3
        services.approve_registration(pending[0], by=focal_point)
        services.approve_registrations([pending[1].pk], by=focal_point)
        html = page(client, self.url(meeting))
        assert html.count(">Approved</span>") == 2
        expire_pending_registrations(now=meeting.starts_at + datetime.timedelta(hours=1))
        assert ">Expired</span>" in page(client, self.url(meeting))

    def test_a_filtered_list_is_right_after_a_change(self, secretariat, focal_point, meeting, pending):
        client = signed_in(secretariat)
        filtered = self.url(meeting, "?state=approved")
        assert "Lee0" not in page(client, filtered)
        services.approve_registration(pending[0], by=focal_point)
        assert "Lee0" in page(client, filtered)

    def test_a_sign_in_changes_nothing_shown_and_keeps_the_fragments(self, delegate):
        before = registrations_version()
        Client().login(email=delegate.email, password=PASSWORD)
        delegate.refresh_from_db()
        assert delegate.last_login is not None
        assert registrations_version() == before
        delegate.given_name = "Dan"
        delegate.save()
        assert registrations_version() != before


class TestRegistrationForm:
    def url(self, meeting):
        return reverse("registration:register", args=[meeting.pk])

    def test_each_delegate_gets_their_own_entities(self, meeting, member, entity, other_member, other_entity):
        mine = page(signed_in(member), self.url(meeting))
        theirs = page(signed_in(other_member), self.url(meeting))
        your_entities = re.compile(r'<optgroup label="Your entities">\s*<option value="(\d+)"')
        assert your_entities.search(mine).group(1) == str(entity.pk)
        assert your_entities.search(theirs).group(1) == str(other_entity.pk)

    def test_the_members_of_one_entity_share_one_form(self, meeting, member, entity):
        """As the registration opens, the members of an entity each open the form: it is made for the first (it
        reads every entity) and served to the others from the cache, each with their own token."""
        colleague = member_of(entity)
        mine = signed_in(member, enforce_csrf_checks=True)
        theirs = signed_in(colleague, enforce_csrf_checks=True)
        with CaptureQueriesContext(connection) as made:
            first = page(mine, self.url(meeting))
        with CaptureQueriesContext(connection) as served:
            second = page(theirs, self.url(meeting))
        entities = 'FROM "registration_memberentity" ORDER BY "registration_memberentity"."name"'
        assert any(entities in query["sql"] for query in made.captured_queries)
        assert not any(entities in query["sql"] for query in served.captured_queries)
        your_entities = re.compile(r'<optgroup label="Your entities">\s*<option value="(\d+)"')
        assert your_entities.search(first).group(1) == your_entities.search(second).group(1) == str(entity.pk)
        assert CSRF_TOKEN.search(first).group(1) != CSRF_TOKEN.search(second).group(1)
        response = theirs.post(
            self.url(meeting),
            {"csrfmiddlewaretoken": CSRF_TOKEN.search(second).group(1), "entity": entity.pk, "participation": "remote"},
        )
        assert response.status_code == 302
        assert Registration.objects.get(delegate=colleague, meeting=meeting).entity == entity

    def test_an_affiliation_confirmed_moves_the_entity_among_the_delegates_own(
        self, meeting, delegate, entity, focal_point
    ):
        client = signed_in(delegate)
        assert "Your affiliation awaits confirmation" not in page(client, self.url(meeting))
        affiliation = services.request_affiliation(delegate, entity=entity)
        assert "Your affiliation awaits confirmation" in page(client, self.url(meeting))
        services.confirm_affiliation(affiliation, by=focal_point)
        html = page(client, self.url(meeting))
        assert "Your affiliation awaits confirmation" not in html
        assert "Your entities" in html
        assert Affiliation.objects.get(pk=affiliation.pk).state == Affiliation.State.APPROVED

    def test_a_deadline_moved_shows_at_once(self, meeting, member, secretariat):
        sync_key_deadlines(meeting)
        client = signed_in(member)
        assert 'name="visa_support_requested"' in page(client, self.url(meeting))
        visa = meeting.deadlines.get(kind=VISA)
        override_key_deadline(
            visa, day=timezone.localdate() - datetime.timedelta(days=1), reason="Early", by=secretariat
        )
        html = page(client, self.url(meeting))
        assert 'name="visa_support_requested"' not in html
        assert "Visa-support requests closed on" in html

    def test_a_form_sent_back_keeps_what_was_entered_and_is_never_stored(self, meeting, member):
        client = signed_in(member, enforce_csrf_checks=True)
        html = page(client, self.url(meeting))
        token = CSRF_TOKEN.search(html).group(1)
        response = client.post(
            self.url(meeting),
            {"csrfmiddlewaretoken": token, "participation": "in_person", "passport_number": "X1234567"},
        )
        assert response.status_code == 200
        sent_back = response.content.decode()
        assert "X1234567" in sent_back
        assert "is-invalid" in sent_back
        again = page(client, self.url(meeting))
        assert "X1234567" not in again
        assert "is-invalid" not in again


# The permission table's pages, each asked by every role with a cold cache and again once every role has filled it:
# the same answer, to the byte but for each session's CSRF token. No role is ever served another's fragment.
GET_PAGES = sorted({name for name, method, _expected in permissions.TABLE if method == "get"})


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_role_gets_the_same_page_from_a_warm_cache_as_from_a_cold_one(world, name):
    people, arguments, _post_data, _registration = world
    url = reverse(f"registration:{name}", kwargs=arguments[name])
    clients = {role: signed_in(people[role]) if people[role] else Client() for role in permissions.ROLES}
    cold, warm = cold_and_warm(clients, url)
    assert warm == cold
