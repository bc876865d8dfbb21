"""The profile's personal access tokens: create (the token is shown once), list with last use, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from .. import queries, services
from ..forms import AccessTokenForm


@login_required
@permission_required("api.manage_own_tokens", raise_exception=True)
def tokens(request):
    form = AccessTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            row, token = services.create_access_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_in=form.expires_in(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Shown on this answer only: the portal keeps its hash, never the token.
            created = {"row": row, "token": token}
            form = AccessTokenForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "created": created, "tokens": queries.tokens_of(request.user)},
        status=200,
    )
    if created:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
@permission_required("api.manage_own_tokens", raise_exception=True)
def revoke(request, pk):
    token = queries.access_token(request.user, pk)
    services.revoke_access_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked; it no longer works.") % {"name": token.name})
    return redirect("api:tokens")
