from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from .forms import ProfileForm


@login_required
@permission_required("accounts.edit_own_profile", raise_exception=True)
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details have been saved."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


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
