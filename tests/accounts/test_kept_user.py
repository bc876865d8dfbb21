"""The signed-in person's row is kept with their session (``accounts.kept_user``): a signed-in request reads no user
row, and every change that Django's own check would see is seen on the very next request."""

import pickle

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sg17portal import sessions
from tests.clients import signed_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _get(client, url):
    """The response, and whether the request read a row of users."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, any('FROM "accounts_user"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def url(meeting):
    return reverse("meetings:detail", args=[meeting.pk])


def test_after_the_first_request_the_person_is_not_read_again(member, url):
    client = signed_in(member)
    response, read = _get(client, url)
    assert response.wsgi_request.user == member
    assert read  # the first request reads the row and keeps it

    for _ in range(2):
        response, read = _get(client, url)
        assert response.status_code == 200
        assert not read
        user = response.wsgi_request.user
        assert (user.pk, user.email, user.given_name, user.is_active) == (
            member.pk,
            member.email,
            member.given_name,
            True,
        )


def test_a_changed_name_is_seen_on_the_next_request(member, url):
    client = signed_in(member)
    _get(client, url)
    member.given_name = "Renamed"
    member.save()

    response, read = _get(client, url)
    assert read
    assert response.wsgi_request.user.given_name == "Renamed"
    assert "Renamed" in response.content.decode()
    assert not _get(client, url)[1]  # and kept again


def test_a_person_made_inactive_is_signed_out_on_the_next_request(member, url, meeting):
    client = signed_in(member)
    _get(client, url)
    member.is_active = False
    member.save()

    response, _read = _get(client, reverse("documents:list", args=[meeting.pk]))
    assert not response.wsgi_request.user.is_authenticated
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_password_changed_elsewhere_signs_the_session_out(member, url):
    client = signed_in(member)
    _get(client, url)
    member.set_password("another-long-passphrase-2026")
    member.save()

    response, read = _get(client, url)
    assert read
    assert not response.wsgi_request.user.is_authenticated


def test_a_sign_in_elsewhere_does_not_make_the_row_be_read_again(member, url):
    client = signed_in(member)
    _get(client, url)
    update_last_login(None, member)  # what every sign-in saves

    assert not _get(client, url)[1]


def test_the_password_hash_is_never_kept_and_changing_the_password_still_checks_it(member, url):
    client = signed_in(member)
    _get(client, url)
    response, read = _get(client, url)
    assert not read
    kept = cache.get(sessions.user_key(client.session.session_key))
    assert kept is not None
    assert member.password not in pickle.dumps(kept).decode("latin-1")

    # The kept row loads the hash when the password form checks the old password.
    refused = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-the-password",
            "password1": "a-new-long-passphrase-7",
            "password2": "a-new-long-passphrase-7",
        },
    )
    assert refused.status_code == 200
    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a-new-long-passphrase-7", "password2": "a-new-long-passphrase-7"},
    )
    assert changed.status_code == 302
    member.refresh_from_db()
    assert member.check_password("a-new-long-passphrase-7")
    response, _read = _get(client, url)
    assert response.wsgi_request.user == member  # this session stays signed in, as Django keeps it


def test_a_row_kept_for_one_session_is_not_taken_by_another(member, focal_point, url):
    theirs, mine = signed_in(focal_point), signed_in(member)
    _get(theirs, url)
    _get(mine, url)
    # Their kept row, found under my session's key (a cache that mixed entries up), is not me.
    cache.set(sessions.user_key(mine.session.session_key), cache.get(sessions.user_key(theirs.session.session_key)), 60)

    response, read = _get(mine, url)
    assert read
    assert response.wsgi_request.user == member


def test_a_rotated_secret_key_is_checked_by_django_again(member, url, settings):
    client = signed_in(member)
    _get(client, url)
    before = client.session.session_key

    with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 50, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        response, read = _get(client, url)
        assert read
        assert response.wsgi_request.user == member
        assert client.session.session_key != before  # Django moved the session to the new key
        assert _get(client, url)[1]  # the moved session's row is kept from its first request on
        assert not _get(client, url)[1]


def test_a_session_whose_hash_no_longer_matches_is_signed_out(member, url):
    client = signed_in(member)
    _get(client, url)
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()

    response, read = _get(client, url)
    assert read
    assert not response.wsgi_request.user.is_authenticated
