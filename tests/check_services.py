"""Says in one line what to start when the test suite cannot reach PostgreSQL or Redis."""

import os
import socket
import sys
from urllib.parse import urlsplit


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


missing = []
if not reachable(os.environ["DATABASE_URL"], 5432):
    missing.append(f"PostgreSQL at {urlsplit(os.environ['DATABASE_URL']).netloc}")
if not reachable(os.environ["REDIS_URL"], 6379):
    missing.append(f"Redis at {urlsplit(os.environ['REDIS_URL']).netloc}")
if missing:
    print(
        "Cannot reach " + " and ".join(missing) + ": start them (or `docker compose up -d postgres redis`),"
        " or set DATABASE_URL / REDIS_URL.",
        file=sys.stderr,
    )
    sys.exit(2)
