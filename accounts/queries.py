"""Reads about accounts used by more than one app."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


def user_with_address(address: str):
    """The active account this address belongs to (its login, or a verified secondary address), or None."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is not None:
        return user
    link = EmailAddress.objects.filter(email__iexact=address, verified=True, user__is_active=True).first()
    return link.user if link else None
