"""Scopes of personal access tokens. What a person may do is asked of the apps' own rules in each view; a token
can only narrow that down to its scopes. The browser session acts with all of the person's rights."""

from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import AccessToken


def required_scope(view, method: str) -> str | None:
    """A view names ``read_scope`` and, if it writes, ``write_scope``."""
    if method in SAFE_METHODS:
        return getattr(view, "read_scope", None)
    return getattr(view, "write_scope", None)


class TokenScope(BasePermission):
    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, AccessToken):
            return True
        scope = required_scope(view, request.method)
        if scope is None:
            self.message = _("This endpoint cannot be used with a token.")
            return False
        if scope not in token.scopes:
            self.message = _("The token lacks the scope “%(scope)s”.") % {"scope": scope}
            return False
        return True


class IsAuthenticated(BasePermission):
    """For endpoints that show nothing to anonymous callers (their registrations): 401 with how to authenticate."""

    def has_permission(self, request, view):
        return request.user.is_authenticated
