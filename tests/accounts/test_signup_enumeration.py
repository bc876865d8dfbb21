"""Sign-up tells nobody which addresses have accounts: same answer, same page; only the owner is told.

The time of the answer is measured in bench/signup_bench.py (the test settings use a fast password hasher,
and timings on a shared machine make poor assertions)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from notifications.models import OutgoingMail
from tests.factories import PASSWORD, UserFactory

User = get_user_model()


def sign_up(email: str):
    client = Client()
    data = {
        "email": email,
        "given_name": "Ana",
        "family_name": "Silva",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
    }
    answer = client.post(reverse("account_signup"), data)
    page = client.get(answer["Location"])
    return answer, page


def without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="TOKEN"', html)


@pytest.mark.django_db
def test_signup_answers_the_same_for_a_known_and_a_new_address_and_tells_only_the_owner():
    owner = UserFactory(email="taken@example.org")

    known, known_page = sign_up("Taken@Example.org")
    new, new_page = sign_up("fresh@example.org")

    assert (
        (known.status_code, known["Location"])
        == (new.status_code, new["Location"])
        == (
            302,
            reverse("account_email_verification_sent"),
        )
    )
    assert known_page.status_code == new_page.status_code == 200
    # The page repeats the address typed, and nothing else differs (but the masked CSRF token of its forms).
    known_html = without_csrf_tokens(known_page.content.decode().replace("taken@example.org", "ADDRESS"))
    new_html = without_csrf_tokens(new_page.content.decode().replace("fresh@example.org", "ADDRESS"))
    assert "ADDRESS" in known_html
    assert known_html == new_html
    assert sorted(OutgoingMail.objects.values_list("recipient", "subject")) == [
        ("fresh@example.org", "[ITU-T SG portal] Please Confirm Your Email Address"),
        ("taken@example.org", "[ITU-T SG portal] Account Already Exists"),
    ]
    warning = OutgoingMail.objects.get(recipient="taken@example.org").body_text
    assert "you or someone else tried to signup" in warning
    assert "/accounts/password/reset/" in warning
    # The known account is untouched, and no second one was made.
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert sorted(User.objects.values_list("email", flat=True)) == ["fresh@example.org", "taken@example.org"]
