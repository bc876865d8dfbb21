"""The Django admin, reached only through the portal's own sign-in.

The admin's login page would be a second door with a password field of its own, outside the portal's rate
limits and e-mail verification. Here it takes no password: an anonymous visitor is sent to the portal's login
(and back to the admin afterwards); a signed-in person without staff rights gets 403 instead of a login form
that could not help them.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


class PortalAdminSite(admin.AdminSite):
    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(target, login_url=reverse("account_login"))
        if self.has_permission(request):
            return redirect(target)
        raise PermissionDenied
