"""Model permissions answer for staff only; sessions signed in through Django's own backend stay valid."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_model_permissions_open_nothing_and_cost_no_query_for_someone_who_is_not_staff(
    django_assert_num_queries,
):
    change_meeting = Permission.objects.get(codename="change_meeting", content_type__app_label="meetings")
    delegate = UserFactory(email="delegate@example.org")
    delegate.user_permissions.add(change_meeting)
    staff = UserFactory(email="staff@example.org", is_staff=True)
    staff.user_permissions.add(change_meeting)

    with django_assert_num_queries(0):
        assert delegate.has_perm("meetings.change_meeting") is False
    with django_assert_num_queries(1):  # the rule reads the person's groups; nothing else is read
        assert delegate.has_perm("documents.post_td") is False
    with django_assert_num_queries(2):  # the staff member's own permissions and their groups'
        assert staff.has_perm("meetings.change_meeting") is True


def test_a_session_signed_in_through_djangos_model_backend_stays_signed_in(client):
    person = UserFactory(email="earlier@example.org")
    session = client.session
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.save()
    client.cookies["sessionid"] = session.session_key

    response = client.get(reverse("profile"))

    assert response.status_code == 200
    assert response.context["user"] == person
