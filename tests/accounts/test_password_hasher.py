"""The production password hasher: Argon2id with the cost chosen for these machines (settings, bench/README.md)."""

from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.test import override_settings

from sg17portal.hashers import PortalArgon2PasswordHasher

PRODUCTION_HASHERS = [
    "sg17portal.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_new_passwords_are_argon2id_with_19_mib_two_passes_one_lane():
    encoded = make_password("correct horse battery staple")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("correct horse battery staple", encoded)
    assert not check_password("wrong horse", encoded)


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_older_hashes_still_sign_in_and_are_rehashed_with_the_portal_cost():
    rehashed = []
    for older in (
        Argon2PasswordHasher().encode("s3cret-enough", Argon2PasswordHasher().salt()),  # Django's 100 MiB, 8 lanes
        make_password("s3cret-enough", hasher="pbkdf2_sha256"),
    ):
        assert check_password("s3cret-enough", older, setter=rehashed.append)
    assert len(rehashed) == 2
    assert not PortalArgon2PasswordHasher().must_update(make_password("s3cret-enough"))
