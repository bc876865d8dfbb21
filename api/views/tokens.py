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

NEW_TOKEN_KEY = "api:new-token"


@login_required
@permission_required("api.manage_own_tokens", raise_exception=True)
def tokens(request):
    form = AccessTokenForm(request.POST or None)
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
            # Handed to the next page once and then forgotten (the portal keeps only its hash), so that reloading
            # that page neither shows it again nor creates another token.
            request.session[NEW_TOKEN_KEY] = {"pk": row.pk, "token": token}
            return redirect("api:tokens")
    created = None
    new = request.session.pop(NEW_TOKEN_KEY, None)
    if new is not None and request.method == "GET":
        row = queries.tokens_of(request.user).filter(pk=new["pk"]).first()
        created = {"row": row, "token": new["token"]} if row else None
    response = render(
        request, "api/tokens.html", {"form": form, "created": created, "tokens": queries.tokens_of(request.user)}
    )
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
