"""The request-scoped memo: what a request reads about its person is read once, and never outlives the request
nor crosses to another person; without a request (a worker, a command) the functions simply query."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.rules import group_names, is_secretariat
from registration.queries import entities_of_focal_point, pending_approvals
from registration.rules import is_focal_point, is_focal_point_of_entity
from sg17portal.celery import PortalTask
from sg17portal.celery import app as celery_app
from sg17portal.request_cache import in_request_scope, outside_request, request_scope
from tests.factories import MemberEntityFactory, UserFactory


@celery_app.task(name="tests.request_cache_probe")
def _probe_task(user_pk):
    """Says whether it ran inside a request's memo, and what it found about the person."""
    from accounts.models import User

    user = User.objects.get(pk=user_pk)
    return in_request_scope(), sorted(entities_of_focal_point(user))


@pytest.fixture
def two_focal_points(db):
    ana, ben = UserFactory(email="ana@example.org"), UserFactory(email="ben@example.org")
    korea = MemberEntityFactory(name="Republic of Korea", focal_points=[ana])
    germany = MemberEntityFactory(name="Germany", focal_points=[ben])
    return ana, ben, korea, germany


def test_a_request_reads_its_persons_entities_once(two_focal_points, django_assert_num_queries):
    ana, _, korea, germany = two_focal_points
    with request_scope(), django_assert_num_queries(1):
        assert is_focal_point(ana)
        assert is_focal_point_of_entity(ana, korea)
        assert not is_focal_point_of_entity(ana, germany)
        assert entities_of_focal_point(ana) == {korea.pk}


def test_two_people_in_one_request_scope_get_their_own_answers(two_focal_points, django_assert_num_queries):
    ana, ben, korea, germany = two_focal_points
    with request_scope(), django_assert_num_queries(2):
        assert (entities_of_focal_point(ana), entities_of_focal_point(ben)) == ({korea.pk}, {germany.pk})
        answers = [is_focal_point_of_entity(person, e) for person in (ana, ben) for e in (korea, germany)]
        assert answers == [True, False, False, True]


def test_the_next_request_sees_what_changed_since_the_last(two_focal_points):
    ana, _, korea, germany = two_focal_points
    with request_scope():
        assert not is_focal_point_of_entity(ana, germany)
    germany.focal_points.add(ana)
    with request_scope():
        assert is_focal_point_of_entity(ana, germany)
    assert not in_request_scope()


def test_without_a_request_every_call_sees_the_latest(two_focal_points, django_assert_num_queries):
    """No request keeps it; what is kept per person between requests (sg17portal.pagecache.kept_per_person) is
    served only while nothing it depends on changed."""
    ana, _, korea, germany = two_focal_points
    with django_assert_num_queries(1):
        assert entities_of_focal_point(ana) == {korea.pk}
        assert entities_of_focal_point(ana) == {korea.pk}
    germany.focal_points.add(ana)
    assert entities_of_focal_point(ana) == {korea.pk, germany.pk}


def test_predicates_write_nothing_onto_the_user(two_focal_points, secretariat):
    ana, _, korea, _ = two_focal_points
    before = (dict(vars(ana)), dict(vars(secretariat)))
    for scope in (request_scope, outside_request):
        with scope():
            is_focal_point_of_entity(ana, korea), is_secretariat(ana), pending_approvals(ana)
            is_secretariat(secretariat), group_names(secretariat), pending_approvals(secretariat)
    assert (vars(ana), vars(secretariat)) == before


def test_anonymous_is_answered_without_a_query(django_assert_num_queries, db):
    with request_scope(), django_assert_num_queries(0):
        assert entities_of_focal_point(AnonymousUser()) == frozenset()
        assert group_names(AnonymousUser()) == frozenset()
        assert pending_approvals(AnonymousUser()) is None


def test_a_task_run_during_a_request_queries_afresh(two_focal_points):
    ana, _, korea, germany = two_focal_points
    celery_app.loader.import_default_modules()
    assert isinstance(celery_app.tasks["registration.sweep"], PortalTask)
    with request_scope():
        assert entities_of_focal_point(ana) == {korea.pk}
        germany.focal_points.add(ana)
        assert _probe_task(ana.pk) == (False, sorted([korea.pk, germany.pk]))
        assert _probe_task.apply(args=[ana.pk]).get() == (False, sorted([korea.pk, germany.pk]))
        assert in_request_scope()  # the task's "no memo" ended with it
        assert entities_of_focal_point(ana) == {korea.pk}  # the request keeps what it read


def test_each_request_through_the_middleware_starts_empty(client, two_focal_points):
    ana, _, korea, germany = two_focal_points
    client.force_login(ana)
    queue = reverse("registration:queue")
    assert client.get(queue).status_code == 200
    korea.focal_points.remove(ana)
    assert client.get(queue).status_code == 403
    client.force_login(UserFactory(email="nobody@example.org"))
    assert client.get(queue).status_code == 403
    germany.focal_points.add(ana)
    client.force_login(ana)
    assert client.get(queue).status_code == 200
    assert not in_request_scope()
