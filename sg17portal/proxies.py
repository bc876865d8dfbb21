"""Which peers may speak for the client: the HTTPS header and client addresses from configured proxies only.

nginx sets ``X-Forwarded-Proto`` and ``X-Forwarded-For`` itself. A request that reaches a web node from any other
address (a client talking to gunicorn directly) loses those headers before Django reads them, so its claim to have
come over HTTPS changes nothing and it cannot choose the address its login attempts are counted under.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST", "HTTP_X_REAL_IP")


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in configured if entry.strip())


def is_trusted_proxy(address: str) -> bool:
    """Whether ``address`` is one of ``settings.TRUSTED_PROXIES`` (addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(peer: str, forwarded_for: str) -> str:
    """The client's address: the right-most address in ``X-Forwarded-For`` that is not a trusted proxy."""
    for entry in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if not is_trusted_proxy(entry):
            try:
                return str(ipaddress.ip_address(entry.strip("[]")))
            except ValueError:
                return peer
    return peer


class TrustedProxyMiddleware:
    """Drops the forwarded headers of untrusted peers; behind a trusted proxy, REMOTE_ADDR becomes the client's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if is_trusted_proxy(peer):
            forwarded_for = meta.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded_for:
                meta["REMOTE_ADDR"] = client_address(peer, forwarded_for)
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)
