import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Scope

LIFETIMES = [(7, _("7 days")), (30, _("30 days")), (90, _("90 days")), (365, _("1 year"))]


class AccessTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What you use it for, e.g. “calendar sync”."))
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The token can do only this, and never more than you may do yourself."),
        error_messages={"required": _("Choose at least one scope.")},
    )
    lifetime = forms.TypedChoiceField(label=_("Expires after"), choices=LIFETIMES, coerce=int, initial=90)

    def expires_in(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.cleaned_data["lifetime"])
