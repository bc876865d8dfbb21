"""Proxy trust: forwarded headers count only when the peer is one of TRUSTED_PROXIES."""

import pytest
from django.test import Client
from django.urls import reverse

from sg17portal.proxies import client_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "127.0.0.2"]
    return settings


def test_direct_client_claiming_https_is_redirected_to_https(production_like):
    response = Client(REMOTE_ADDR="192.0.2.7").get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_trusted_proxy_saying_https_is_believed(production_like):
    response = Client(REMOTE_ADDR="10.0.0.5").get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_client_address_comes_from_the_trusted_proxy_only(production_like, rf):
    from sg17portal.proxies import TrustedProxyMiddleware

    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]
        seen["xff"] = request.META.get("HTTP_X_FORWARDED_FOR")
        return None

    middleware = TrustedProxyMiddleware(view)
    middleware(rf.get("/", REMOTE_ADDR="127.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9"))
    assert seen == {"addr": "198.51.100.9", "xff": "198.51.100.9"}
    middleware(rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="198.51.100.9"))
    assert seen == {"addr": "192.0.2.7", "xff": None}


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("198.51.100.9", "198.51.100.9"),
        ("203.0.113.1, 198.51.100.9", "198.51.100.9"),  # the left entry is whatever the client wrote
        ("198.51.100.9, 10.0.0.7", "198.51.100.9"),  # a second trusted hop is skipped
        ("not-an-address", "10.0.0.5"),
    ],
)
def test_client_address_is_the_rightmost_untrusted_hop(production_like, forwarded_for, expected):
    assert client_address("10.0.0.5", forwarded_for) == expected
