"""What every page asks about the person asking, kept between requests (sg17portal.pagecache.kept_per_person):
their groups, the entities they are focal point of, whether they are a member, the approvals waiting for them.
Each change takes effect on the person's very next request, whichever way it is made."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.rules import group_names
from registration import services
from registration.models import Affiliation, MemberEntity
from tests.clients import signed_in
from tests.factories import MemberEntityFactory, RegistrationFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def entities_url() -> str:
    return reverse("registration:entities")  # the secretariat's alone


def test_the_secretariat_lost_takes_effect_on_the_next_request(secretariat, secretariat_group):
    client = signed_in(secretariat)
    assert client.get(entities_url()).status_code == 200
    secretariat.groups.remove(secretariat_group)
    assert client.get(entities_url()).status_code == 403
    secretariat_group.user_set.add(secretariat)  # from the group's side
    assert client.get(entities_url()).status_code == 200
    secretariat_group.user_set.clear()
    assert client.get(entities_url()).status_code == 403


def test_a_group_deleted_or_renamed_takes_effect_on_the_next_request(secretariat, secretariat_group):
    client = signed_in(secretariat)
    assert client.get(entities_url()).status_code == 200
    secretariat_group.name = "Former secretariat"
    secretariat_group.save()
    assert client.get(entities_url()).status_code == 403
    secretariat_group.name = settings.SECRETARIAT_GROUP
    secretariat_group.save()
    assert client.get(entities_url()).status_code == 200
    Group.objects.filter(pk=secretariat_group.pk).delete()
    assert client.get(entities_url()).status_code == 403


def test_a_membership_confirmed_or_declined_takes_effect_on_the_next_request(meeting, entity, focal_point):
    person = UserFactory()
    client = signed_in(person)
    post = reverse("documents:post_contribution", args=[meeting.pk])
    assert client.get(post).status_code == 403
    affiliation = services.request_affiliation(person, entity=entity)
    services.confirm_affiliation(affiliation, by=focal_point)
    assert client.get(post).status_code == 200
    affiliation.refresh_from_db()
    affiliation.state = Affiliation.State.DECLINED  # as the administration pages save it
    affiliation.save()
    assert client.get(post).status_code == 403


def test_the_approvals_badge_counts_on_the_next_request(meeting, entity, focal_point):
    client = signed_in(focal_point)
    home = reverse("home")
    assert 'id="approvals-badge"' not in client.get(home).content.decode()
    RegistrationFactory(meeting=meeting, entity=entity, delegate=member_of(entity))
    assert 'id="approvals-badge">1<' in client.get(home).content.decode()
    newcomer = member_of(entity)
    services.register(meeting, delegate=newcomer, entity=entity, by=newcomer)
    assert 'id="approvals-badge">2<' in client.get(home).content.decode()
    entity.focal_points.remove(focal_point)
    assert 'id="approvals-menu"' not in client.get(home).content.decode()


def test_a_person_made_secretariat_sees_every_approval_at_once(meeting, entity, secretariat_group):
    RegistrationFactory(meeting=meeting, entity=entity, delegate=member_of(entity))
    person = UserFactory()
    client = signed_in(person)
    assert 'id="approvals-menu"' not in client.get(reverse("home")).content.decode()
    person.groups.add(secretariat_group)
    assert 'id="approvals-badge">1<' in client.get(reverse("home")).content.decode()


def test_kept_answers_are_each_persons_own_and_read_in_one_round_trip(secretariat, delegate):
    assert settings.SECRETARIAT_GROUP in group_names(secretariat)
    assert group_names(delegate) == frozenset()
    assert settings.SECRETARIAT_GROUP in group_names(secretariat)  # from the cache, still Sofia's


def test_registrations_and_their_decisions_leave_the_persons_rights_and_contribution_form_kept(
    meeting, entity, member, focal_point
):
    """Before a deadline, registrations and decisions come by the dozen: what shows only who is a member of which
    entity (``registration.fragments.AFFILIATIONS``) is not read again for each of them."""
    newcomer, other = member_of(entity), member_of(entity)
    client = signed_in(member)
    post = reverse("documents:post_contribution", args=[meeting.pk])
    assert client.get(post).status_code == 200
    services.approve_registration(
        services.register(meeting, delegate=newcomer, entity=entity, by=newcomer), by=focal_point
    )
    RegistrationFactory(meeting=meeting, entity=entity, delegate=other)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(post)
    assert response.status_code == 200
    assert entity.name in response.content.decode()
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert Affiliation._meta.db_table not in read
    assert MemberEntity._meta.db_table not in read


def test_a_membership_confirmed_shows_in_the_contribution_form_on_the_next_request(meeting, entity, member):
    second = MemberEntityFactory(name="Administration of the second entity", focal_points=[UserFactory()])
    client = signed_in(member)
    post = reverse("documents:post_contribution", args=[meeting.pk])
    affiliation = services.request_affiliation(member, entity=second)
    assert second.name not in client.get(post).content.decode()  # asked, not confirmed yet
    # Confirmed by the focal point's decision: an update that sends no signal.
    services.confirm_affiliation(affiliation, by=second.focal_points.get())
    assert second.name in client.get(post).content.decode()
