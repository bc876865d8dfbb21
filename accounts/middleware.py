import zoneinfo

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from . import kept_user


def _user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = kept_user.get_user(request)
    return request._cached_user


class KeptUserAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's, with the person's row kept with their session (``accounts.kept_user``) instead of read on every
    request."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


class UserTimezoneMiddleware:
    """Shows times in the signed-in person's own zone; everything is stored in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone_name = getattr(request.user, "time_zone", "") if request.user.is_authenticated else ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone_name)) if zone_name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
