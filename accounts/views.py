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


class LoginView(allauth_views.LoginView):
    """allauth's login, answering 429 once the failed-login rate limit for the account is reached."""

    def form_invalid(self, form):
        if form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
            return render(self.request, "429.html", status=429)
        return super().form_invalid(form)


login = LoginView.as_view()
