"""Sign-up time for an address that has an account against one that has none, with production's hasher.

The two kinds are interleaved (known, new, known, new …) in one run, so that load on the machine hits both
alike; what counts is the ratio of the medians, which should be close to 1. allauth's own form is timed the
same way beside the portal's, for comparison (reported before the change: 133 ms against 1,336 ms)."""

import common

RUNS = 15


def main():
    with common.throwaway_django("bench_signup"):
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        from accounts.models import User

        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            "django.contrib.auth.hashers.MD5PasswordHasher",
        ]
        settings.ALLOWED_HOSTS = ["testserver"]
        for n in range(RUNS + 1):
            User.objects.create_user(f"known{n}@example.org", "x", given_name="K", family_name="N")

        def sign_up(email, number):
            data = {
                "email": email,
                "given_name": "Ana",
                "family_name": "Silva",
                "password1": "a-long-enough-passphrase",
                "password2": "a-long-enough-passphrase",
            }
            answer = Client().post(reverse("account_signup"), data, REMOTE_ADDR=f"10.1.{number // 250}.{number % 250}")
            assert answer.status_code == 302, answer.status_code
            return answer

        sign_up("known0@example.org", 0), sign_up("warmup@example.org", 1)  # templates and connections warm
        portal_forms = settings.ACCOUNT_FORMS
        for label, forms in (("allauth's own sign-up form", {}), ("the portal's sign-up form", portal_forms)):
            settings.ACCOUNT_FORMS = forms
            known, new = [], []
            for n in range(1, RUNS + 1):
                number = 2 * n + (1000 if forms else 0)
                known += common.time_calls(lambda n=n, k=number: sign_up(f"known{n}@example.org", k), 1).samples
                new += common.time_calls(lambda k=number: sign_up(f"new{k}@example.org", k + 1), 1).samples
            known_t, new_t = common.Timing(known), common.Timing(new)
            print(f"{label}:")
            print(f"  address with an account:    {known_t.summary()}")
            print(f"  address without an account: {new_t.summary()}")
            print(f"  ratio of medians (known / new): {known_t.median_ms / new_t.median_ms:.2f}")


if __name__ == "__main__":
    main()
