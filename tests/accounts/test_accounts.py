import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from notifications.models import OutgoingMail
from tests.factories import PASSWORD, UserFactory

User = get_user_model()


@pytest.mark.django_db
def test_create_user_uses_email_as_login():
    user = User.objects.create_user("Ana.Silva@Example.ORG", "s3cret-pass-word")
    assert user.email == "Ana.Silva@example.org"
    assert user.check_password("s3cret-pass-word")
    assert User.USERNAME_FIELD == "email"


@pytest.mark.django_db
def test_user_str_is_full_name_or_email():
    assert str(UserFactory(given_name="Hana", family_name="Kim")) == "Hana Kim"
    assert str(UserFactory(email="x@example.org", given_name="", family_name="")) == "x@example.org"


@pytest.mark.django_db
def test_signup_queues_verification_mail_in_the_outbox(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ana@example.org",
            "given_name": "Ana",
            "family_name": "Silva",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ana@example.org")
    assert (user.given_name, user.family_name) == ("Ana", "Silva")
    mail = OutgoingMail.objects.get(recipient="ana@example.org")
    assert mail.dedupe_key.startswith("account:email_confirmation_signup:")
    assert re.search(r"http://testserver/accounts/confirm-email/[^/\s]+/", mail.body_text)


@pytest.mark.django_db
def test_signup_with_bad_input_shows_errors_and_creates_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "given_name": "", "family_name": "Silva", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert 'value="Silva"' in body  # nothing typed is lost
    assert User.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


@pytest.mark.django_db
def test_unverified_account_cannot_log_in(client):
    user = UserFactory()
    user.emailaddress_set.update(verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_mail_goes_through_the_outbox(client):
    user = UserFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    mail = OutgoingMail.objects.get(recipient=user.email)
    assert "/accounts/password/reset/key/" in mail.body_text


@pytest.mark.django_db
def test_sixth_wrong_password_within_five_minutes_is_refused_with_429(client):
    user = UserFactory()
    statuses = [
        client.post(reverse("account_login"), {"login": user.email, "password": f"wrong-{n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 200, 429]
    # Even the right password waits until the window has passed.
    assert client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}).status_code == 429


@pytest.mark.django_db
def test_profile_requires_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profile_saves_details(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {
            "given_name": "Hana",
            "family_name": "Kim",
            "gender": "female",
            "country": "KR",
            "phone": "+82 2 123 4567",
            "time_zone": "Asia/Seoul",
            "language": "en",
        },
        follow=True,
    )
    assert "Your details have been saved." in response.content.decode()
    user.refresh_from_db()
    assert (user.family_name, user.country.code, user.time_zone) == ("Kim", "KR", "Asia/Seoul")


@pytest.mark.django_db
def test_profile_rejects_unknown_time_zone_and_keeps_input(client):
    user = UserFactory(time_zone="Europe/Zurich")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"given_name": "Hana", "family_name": "Kim", "gender": "female", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "Europe/Zurich"


@pytest.mark.django_db
def test_secretariat_menu_only_for_secretariat(client, secretariat, delegate):
    client.force_login(delegate)
    assert 'id="secretariat-menu"' not in client.get(reverse("home")).content.decode()
    client.force_login(secretariat)
    assert 'id="secretariat-menu"' in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_email_change_page_with_a_pending_address_has_no_inline_style(client):
    from allauth.account.models import EmailAddress

    user = UserFactory()
    EmailAddress.objects.create(user=user, email="new.address@example.org", verified=False, primary=False)
    client.force_login(user)

    html = client.get(reverse("account_email")).content.decode()

    assert re.findall(r'<form[^>]*id="pending-email"', html) == ['<form hidden\n              id="pending-email"']
    assert re.findall(r"\sstyle=", html) == []


@pytest.mark.django_db
def test_verification_and_reset_mails_name_the_site(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "ana@example.org",
            "given_name": "Ana",
            "family_name": "Silva",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    client.post(reverse("account_reset_password"), {"email": "ana@example.org"})
    mails = OutgoingMail.objects.filter(recipient="ana@example.org").order_by("pk")
    assert [mail.dedupe_key.split(":")[1] for mail in mails] == ["email_confirmation_signup", "password_reset_key"]
    for mail in mails:
        assert "Hello from ITU-T SG portal!" in mail.body_text
        assert "Thank you for using ITU-T SG portal!" in mail.body_text
        assert "from !" not in mail.body_text
        assert "using !" not in mail.body_text
        assert "on ." not in mail.body_text


@pytest.mark.django_db
def test_confirming_the_address_signs_in_and_tells_the_next_step(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "ana@example.org",
            "given_name": "Ana",
            "family_name": "Silva",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    mail = OutgoingMail.objects.get(recipient="ana@example.org")
    path = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", mail.body_text).group(1)

    response = client.post(path, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].email == "ana@example.org"
    page = response.content.decode()
    assert "Next step: ask your member entity to confirm you as its member" in page
    assert reverse("registration:request_affiliation") in page.split('id="home-membership"')[1].split("</li>")[0]
