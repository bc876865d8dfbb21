"""Sign-in limits follow the account and its failures; the admin has no password door of its own."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.ratelimits import client_ip
from tests.factories import PASSWORD, UserFactory


def _login(client, email, password, address):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_wrong_passwords_through_every_door_count_against_the_account_and_429_from_the_sixth(secretariat):
    """Login and re-authentication share the account's counter, whatever the address; the admin's login
    page checks no password at all, so guessing there gets nothing, not even a count."""
    at_login, at_admin, signed_in = Client(), Client(), Client()
    signed_in.force_login(secretariat)
    statuses = []
    for attempt in range(10):
        address = f"198.51.100.{attempt + 1}"
        wrong = f"guess-{attempt}"
        admin_answer = at_admin.post(
            reverse("admin:login"), {"username": secretariat.email, "password": wrong}, REMOTE_ADDR=address
        )
        assert (admin_answer.status_code, "_auth_user_id" in at_admin.session) == (302, False)
        if attempt % 2:
            answer = signed_in.post(reverse("account_reauthenticate"), {"password": wrong}, REMOTE_ADDR=address)
        else:
            answer = _login(at_login, secretariat.email, wrong, address)
        statuses.append(answer.status_code)

    assert statuses == [200] * 5 + [429] * 5
    # The right password now waits too, through the portal and through the admin's former door.
    assert _login(at_login, secretariat.email, PASSWORD, "192.0.2.1").status_code == 429
    at_admin.post(reverse("admin:login"), {"username": secretariat.email, "password": PASSWORD})
    assert "_auth_user_id" not in at_login.session
    assert "_auth_user_id" not in at_admin.session


@pytest.mark.django_db
def test_admin_login_page_takes_no_password_and_sends_to_the_portal_login(client, secretariat):
    response = client.get(reverse("admin:login") + "?next=/admin/registration/")
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/admin/registration/")

    response = client.post(reverse("admin:login"), {"username": secretariat.email, "password": PASSWORD})
    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/admin/")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_staff_reach_the_admin_through_the_portal_login(client, secretariat):
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": secretariat.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert (response.status_code, response.url) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    # Signed in, the admin's login page just sends them on.
    assert client.get(reverse("admin:login") + "?next=/admin/accounts/user/").url == "/admin/accounts/user/"


@pytest.mark.django_db
def test_admin_refuses_a_signed_in_person_without_staff_rights_with_403(client, delegate):
    client.force_login(delegate)
    assert client.get(reverse("admin:login")).status_code == 403
    assert client.get("/admin/", follow=True).status_code == 403


@pytest.mark.django_db
def test_staff_account_with_unverified_address_cannot_reach_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    staff.emailaddress_set.update(verified=False)
    client.post(reverse("account_login") + "?next=/admin/", {"login": staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_forty_accounts_sign_in_from_one_address_within_a_minute(db):
    """A venue's NAT on the first morning: success from one address is never what is limited, and the
    typos of a few delegates there lock out nobody else."""
    people = [UserFactory() for _ in range(40)]
    signed_in = 0
    for number, person in enumerate(people):
        client = Client()
        if number % 4 == 0:
            assert _login(client, person.email, "a typo", "203.0.113.50").status_code == 200
        response = _login(client, person.email, PASSWORD, "203.0.113.50")
        assert response.status_code == 302, number
        signed_in += client.session.get("_auth_user_id") == str(person.pk)
    assert signed_in == 40


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.2"),  # no proxy trusted: whatever the client wrote is ignored
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the proxy appended the real peer; the rest is the client's
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.2"),  # shorter than the chain of proxies: it did not come through them
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_client_address_comes_from_the_trusted_proxies_only(settings, proxies, forwarded, expected):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_forged_forwarded_addresses_do_not_escape_the_address_ceiling(client, settings):
    """Behind one proxy, a client that writes a new X-Forwarded-For each time is still counted on the
    address the proxy saw."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip,5/5m/key"}
    people = [UserFactory() for _ in range(4)]
    statuses = [
        client.post(
            reverse("account_login"),
            {"login": person.email, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
        ).status_code
        for n, person in enumerate(people)
    ]
    assert statuses == [200, 200, 200, 429]
