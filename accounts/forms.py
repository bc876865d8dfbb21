from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sg17portal.forms import SaysWhatToDo
from sg17portal.text import LineFormField

from .models import User


class SignupDetailsForm(SaysWhatToDo, forms.Form):
    """The fields allauth's sign-up form gets besides e-mail and password."""

    given_name = LineFormField(label=_("Given name"), max_length=150)
    family_name = LineFormField(label=_("Family name"), max_length=150)

    def signup(self, request, user):
        user.given_name = self.cleaned_data["given_name"]
        user.family_name = self.cleaned_data["family_name"]
        # The account's language is the one it was created in, until the person chooses another.
        user.language = translation.get_language() or settings.LANGUAGE_CODE
        user.save(update_fields=["given_name", "family_name", "language"])


class ProfileForm(SaysWhatToDo, forms.ModelForm):
    class Meta:
        model = User
        fields = ["given_name", "family_name", "gender", "country", "phone", "time_zone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("given_name", "family_name"):
            self.fields[name].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save my details")))
