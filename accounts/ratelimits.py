"""Sign-in limits, all in one place: which address a request comes from, and what is counted against whom.

allauth does the counting (in the cache) with the rates of ``ACCOUNT_RATE_LIMITS`` (settings, from the
environment); this module holds the reasoning behind them and the one answer to "which address":

- Failures count against the *account* (5 wrong passwords in 5 minutes, then 429 for that account from
  whatever address), and against the *address* only with a generous ceiling: a venue's NAT puts hundreds of
  delegates behind one address on the first morning of a meeting, and their successful logins count for
  nothing but that ceiling.
- Every door that checks a password (the portal's login, re-authentication, the admin, which has no login
  page of its own any more) goes through allauth's ``authenticate`` and so through the same counters.
- The client address is the one the trusted proxies saw: with ``TRUSTED_PROXY_COUNT`` = N the N-th address
  from the right of ``X-Forwarded-For``; with 0, or when the header is shorter than that (the request did not
  come through the proxies), the socket's peer. Addresses a client writes itself are never believed.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as the trusted proxies report it (see the module docstring)."""
    peer = request.META.get("REMOTE_ADDR", "")
    count = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= count:
            candidate = hops[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return peer
