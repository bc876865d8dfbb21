"""The versions the registration pages' cached parts, and what every page asks about the person asking (the
entities they are focal point of, whether they are a member, the approvals waiting for them: ``registration.queries``,
kept per person), are kept under.

The focal point's queue, the secretariat's list of a meeting's registrations and the registration form keep their
heavy parts in the cache (``{% fragment_cache %}``), keyed by the version of the rows they show: the registrations,
the affiliations, the member entities and their focal points, and the people's names and addresses. Every change of
one of those replaces the version, at once and again when its transaction commits (``sg17portal.pagecache``):
- a save or delete of a row, or a change of an entity's focal points, through the signals connected by ``watch``;
- the services' updates that send no signal (a decision's compare-and-set, a bulk decision, a confirmed
  affiliation) call ``registrations_changed`` or ``affiliations_changed`` themselves.
A person signing in (their last login, their password rehashed) changes nothing shown, and replaces nothing.

What shows only who is a member of which entity and who its focal points are (a person's rights to post for an
entity, the contribution form's entities) is kept under a second version, ``AFFILIATIONS``, which the changes of
affiliations, entities and focal points replace, and those of registrations do not: a wave of registrations and
decisions before a deadline does not make every person's rights be read again.

A person's own registration (the meeting page's panel, ``registration_of``) is kept under their own version of the
registrations (``pagecache.own_version_key``), which only the changes of their own registrations replace: the signal
of a registration's save or delete names its delegate, and the services' updates name theirs
(``registrations_changed(*delegates)``). Fifty delegates registering in the first minute then leave one another's
kept answers alone.
"""

from sg17portal import pagecache

NAME = "registrations"
AFFILIATIONS = "affiliations"
# The saves of a person that change nothing these pages show: signing in.
_UNSHOWN_FIELDS_OF_PEOPLE = frozenset({"last_login", "password"})


def registrations_version() -> str:
    return pagecache.fragments_version(NAME)


def registrations_changed(*delegates) -> None:
    """Registrations of ``delegates`` (primary keys) changed without a signal."""
    pagecache.bump_own_fragments(NAME, *delegates)


def affiliations_version() -> str:
    return pagecache.fragments_version(AFFILIATIONS)


def affiliations_changed() -> None:
    """An affiliation or an entity changed without a signal: what shows them is out of date, the registration
    pages included."""
    pagecache.bump_fragments(NAME, AFFILIATIONS)


def watch() -> None:
    """Connects the signals (called from the app's ``ready()``)."""
    from django.contrib.auth import get_user_model

    from .models import Affiliation, MemberEntity, Registration

    # A registration's change replaces its delegate's own version too: what shows a person their own registration
    # (``registration.queries.registration_of``) is kept under it, not under others' registrations.
    pagecache.watch_own_fragments(NAME, Registration, person="delegate_id")
    pagecache.watch_fragments(NAME, Affiliation, MemberEntity, MemberEntity.focal_points.through)
    pagecache.watch_fragments(AFFILIATIONS, Affiliation, MemberEntity, MemberEntity.focal_points.through)
    # A person's save replaces it unless it changed only what signing in changes; a person deleted always does.
    pagecache.watch_fragments(NAME, get_user_model(), unshown=_UNSHOWN_FIELDS_OF_PEOPLE)
