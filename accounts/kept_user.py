"""The signed-in person's row, kept in the cache with their session: a signed-in request reads no user row.

Django reads the person's row on every request (``django.contrib.auth.get_user``): to know who it is, and to
check the session against the password's hash, so that changing the password signs out the other sessions.
Here the row, without the password's hash and the time of the last sign-in, is kept under the session's key
together with what Django checked it against:

- the version of the people (``PEOPLE``), which every save or delete of a user replaces, except the record of a
  sign-in (``accounts.apps``), and a release too;
- the user id, the backend and the password-derived hash the session carries;
- which secret key signed that hash, and which fields the row was kept with.

The session's own read from the cache brings the entry along (``sg17portal.sessions``): it costs no round trip.
While everything it was kept with still holds, the kept row is the person. Otherwise Django reads and checks as it
always does (a changed password, a person made inactive, a secret key rotated: each is refused or handled there),
and the row is kept again if Django let the person in.

The password's hash never enters the cache. A kept row loads it from the database the first time something asks
for it (changing the password does), as Django loads any field a query deferred.
"""

import functools
import hashlib
import logging

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.utils.crypto import constant_time_compare

from sg17portal import pagecache, sessions

logger = logging.getLogger(__name__)

# The version the people's kept rows are kept under (``accounts.apps`` replaces it on every change of a user).
PEOPLE = "people"
# Not kept: the hash (not in the cache, ever) and what every sign-in changes.
NOT_KEPT = frozenset({"password", "last_login"})


@functools.cache
def _kept_fields() -> tuple[tuple[str, ...], str]:
    """The attribute names of the user's fields that are kept, in the model's order, and a digest of them: a row
    kept by a release with other fields is not used."""
    names = tuple(f.attname for f in auth.get_user_model()._meta.concrete_fields if f.attname not in NOT_KEPT)
    return names, hashlib.sha256(" ".join(names).encode()).hexdigest()[:16]


def _secret_mark() -> str:
    """Which secret key signs the sessions' hashes now: one rotated makes Django's check decide again."""
    return hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:16]


def get_user(request):
    """The user of ``request``'s session: the kept row while it holds, else Django's ``get_user`` (and the row is
    kept for the next request)."""
    session = request.session
    user_id = session.get(SESSION_KEY)
    session_key = session.session_key
    brought = pagecache.take_brought(sessions.user_key(session_key)) if session_key else pagecache.NOT_BROUGHT
    if user_id is None or brought is pagecache.NOT_BROUGHT:
        # No one signed in, or a session that did not come from the portal's cache: Django decides, as always.
        return auth.get_user(request)
    backend = session.get(BACKEND_SESSION_KEY)
    session_hash = session.get(HASH_SESSION_KEY) or ""
    names, fields_mark = _kept_fields()
    try:
        mark = (pagecache.fragments_version(PEOPLE), _secret_mark(), fields_mark, str(user_id), backend)
    except Exception:  # the cache down must not sign anyone out; the database answers
        logger.exception("The people's version could not be read.")
        return auth.get_user(request)
    if (
        brought is not None
        and brought[0] == mark
        and constant_time_compare(brought[1], session_hash)
        and backend in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user_model().from_db(DEFAULT_DB_ALIAS, names, brought[2])
    user = auth.get_user(request)
    # Kept only as Django let the person in: the hash checked under the current key, the session not cycled.
    if user.is_authenticated and session.session_key == session_key and session_hash:
        try:
            values = tuple(vars(user)[name] for name in names)  # as stored, as the database gives them
            cache.set(sessions.user_key(session_key), (mark, session_hash, values), pagecache.PERSON_SECONDS)
        except Exception:
            logger.exception("A signed-in person's row could not be kept.")
    return user
