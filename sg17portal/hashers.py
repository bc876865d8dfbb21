"""The password hasher, with a cost chosen for the machines the portal runs on (see PASSWORD_HASHERS)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with 19 MiB of memory, 2 passes and 1 lane.

    The algorithm name stays "argon2", so hashes made with other parameters (Django's defaults) are still
    verified, and rehashed with these at the next sign-in (``must_update`` compares the parameters).
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
