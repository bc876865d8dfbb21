"""Reads used across apps, and the ones that authorize."""

from django.db.models import QuerySet

from .models import Affiliation, MemberEntity


def member_entities(user) -> QuerySet[MemberEntity]:
    """The entities of which ``user`` is a confirmed member (an approved affiliation)."""
    if not user.is_authenticated:
        return MemberEntity.objects.none()
    return MemberEntity.objects.filter(affiliations__user=user, affiliations__state=Affiliation.State.APPROVED)


def is_member(user) -> bool:
    """A *member* is an authenticated person with at least one approved affiliation."""
    return user.is_authenticated and Affiliation.objects.filter(user=user, state=Affiliation.State.APPROVED).exists()
