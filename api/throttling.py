from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import AccessToken


class PerCallerRateThrottle(SimpleRateThrottle):
    """A budget of requests per token (per person on the session, per address anonymously); 429 with Retry-After."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        if isinstance(request.auth, AccessToken):
            ident = f"token:{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return f"api-throttle:{ident}"
