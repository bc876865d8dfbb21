from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from sg17portal.languages import supported

from .forms import ProfileForm


@login_required
@permission_required("accounts.edit_own_profile", raise_exception=True)
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        with translation.override(user.language):
            messages.success(request, _("Your details have been saved."))
            response = redirect("profile")
        return _remember_language(response, user.language)
    return render(request, "accounts/profile.html", {"form": form})


@csrf_exempt
@require_POST
def set_language(request):
    """The language switcher: back to the same page in the chosen language, the choice kept for next time.

    Visitors keep it in a cookie; a signed-in person's profile keeps it too, so the e-mails follow.

    The switcher is on every page. For visitors it carries no CSRF token, so that the public pages hold nothing
    of one visitor and can be served to all from the page cache (sg17portal.pagecache); a visitor's choice is
    refused only when the browser says it comes from another site. A signed-in person's choice changes the
    profile and is checked like every other form.
    """
    refusal = _cross_site_refusal(request)
    if refusal is not None:
        return refusal
    language = supported(request.POST.get("language"))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if language is None:
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    # The address is read in its own language (its prefix), then written in the chosen one.
    with translation.override(translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE):
        next_url = translate_url(next_url, language)
    return _remember_language(HttpResponseRedirect(next_url), language)


def _cross_site_refusal(request):
    checker = CsrfViewMiddleware(lambda request: None)
    if request.user.is_authenticated:
        return checker.process_view(request, None, (), {})
    if "HTTP_ORIGIN" in request.META and not checker._origin_verified(request):
        return checker._reject(request, "Origin checking failed: the choice comes from another site.")
    return None


def _remember_language(response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _too_many_attempts(form, field) -> bool:
    return form.has_error(field, "too_many_login_attempts")


class LoginView(allauth_views.LoginView):
    """allauth's login, answering 429 once the failed-login rate limit for the account is reached."""

    def form_invalid(self, form):
        if _too_many_attempts(form, NON_FIELD_ERRORS):
            return render(self.request, "429.html", status=429)
        return super().form_invalid(form)


class ReauthenticateView(allauth_views.ReauthenticateView):
    """Confirming one's password counts against the same account limit as the login, and answers alike."""

    def form_invalid(self, form):
        if _too_many_attempts(form, "password"):
            return render(self.request, "429.html", status=429)
        return super().form_invalid(form)


login = LoginView.as_view()
reauthenticate = login_required(ReauthenticateView.as_view())
