"""Who is calling: a personal access token (``Authorization: Bearer sgp_…``) or the browser session with CSRF."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import AccessToken
from .services import hash_token


class AccessTokenAuthentication(authentication.BaseAuthentication):
    """A usable (not expired, not revoked) token of an active person; its last use is kept to the minute."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        try:
            token = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        row = AccessToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        now = timezone.now()
        if row is None or not row.is_usable(now) or not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid, has expired or was revoked."))
        if row.last_used_at is None or now - row.last_used_at >= settings.API_TOKEN_LAST_USE_RESOLUTION:
            AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
            row.last_used_at = now
        return row.user, row

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser session; writes need the CSRF token like the site's forms."""
