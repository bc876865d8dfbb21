"""Sessions kept in the cache and the database (Django's ``cached_db``), read in the request's first round trip.

A signed-in request reads its session first, then the page cache's versions (``sg17portal.pagecache``): two
round trips to Redis one after the other. Here the session is read together with the versions and the person's row
kept for it (``accounts.kept_user``), and once it says whose request it is, the person's kept answers come along
with the next entry read.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from . import pagecache


def user_key(session_key: str) -> str:
    """Where the row of the person signed in with the session ``session_key`` is kept (``accounts.kept_user``)."""
    return f"pagecache:session-user:{session_key}"


class SessionStore(cached_db.SessionStore):
    def load(self):
        data = None
        if settings.SESSION_CACHE_ALIAS == "default":  # the page cache's own
            pagecache.bring_along(user_key(self.session_key))
            try:
                data = pagecache.read_with_versions(self.cache_key)
            except Exception:  # as Django's: a cache that fails is a miss, and the database answers
                data = None
        if data is None:
            data = super().load()
        if data.get(SESSION_KEY) is None:
            pagecache.take_brought(user_key(self.session_key))  # nobody's row to keep waiting
        pagecache.expect_person(data.get(SESSION_KEY))
        return data
