"""The sign-up form: the same answer, in the same time, whether or not the address has an account.

allauth already answers an address that has an account with the page a new one gets ("check your
mail"), and mails its owner that someone tried to sign up with it. But a new account costs the hashing of
its password (deliberately slow) and a few rows, while the known address cost nothing: the difference in
time told which addresses have accounts. Here the known address pays the same hashing.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # The work of a new account's password, thrown away: the answer must not come sooner.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
