"""Test clients for the tests that compare pages: one signed in, and what a page answers, without its CSRF tokens."""

import re

from django.core.cache import cache
from django.test import Client

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def answer(client: Client, url: str) -> tuple[int, str]:
    """The status and, for an HTML page, its HTML without the CSRF tokens (each request has a token of its own);
    for anything else, its content type."""
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return response.status_code, response["Content-Type"]
    return response.status_code, CSRF_TOKEN.sub("", response.content.decode())


def cold_and_warm(clients: dict[str, Client], url: str) -> tuple[dict, dict]:
    """What each client gets with an empty cache, and again once every client has filled it (``answer``)."""
    cold = {}
    for role, client in clients.items():
        cache.clear()
        cold[role] = answer(client, url)
    for client in clients.values():  # every role's pages and fragments stored
        answer(client, url)
    return cold, {role: answer(client, url) for role, client in clients.items()}
