"""Whole-page cache of the public pages, for anonymous visitors only.

The public pages (home, meetings index, study group, meeting page, collective letter, published agenda and time
plan) change a few times a month but are read all day. An anonymous visitor's GET of one of them is answered from
the cache when an answer for the same address, language and content version is there.

What keeps it correct:
- Only anonymous GET/HEAD requests without a query and without messages waiting are served from or stored in
  the cache; signed-in people always get their page rendered for them. A cache never serves one role's page to
  another.
- The key is the full address (scheme, host and path) and the active language (the address names it too,
  see ``languages``). Each entry carries the content version it was rendered under, and is served only while that
  is still the current one: one value that every save or delete of a model these pages show replaces
  (``bump_content_version``), at once and again when the transaction commits, so that a request that read the
  old rows before the commit cannot store them under the new version. The version and the page are read in one
  round trip to the cache.
- An answer is stored only if it is a 200 that sets no cookie, did not change the session and used no CSRF token
  (a token belongs to one visitor).
- What changes with the clock alone (a deadline that closes at midnight) is at most ``PAGE_CACHE_SECONDS`` old.

Each stored answer carries an ETag: a repeated request that sends it back gets a 304 while nothing changed.

Where it is done: ``public_page`` marks the views whose pages are kept, and ``PublicPageMiddleware``, placed before
the session, authentication and locale middleware, answers from the cache and stores there. A visitor without a
session cookie is anonymous, and the page's language follows from its address (a bare address is English for
anyone who would not be sent to another language's address): their page is answered before any of that middleware
runs, with the headers it added when the page was stored. The key says the language the page was rendered in, so
a wrong guess can only miss.
"""

import functools
import hashlib
import logging
import pickle
import time
import uuid

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control

from .request_cache import request_store

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# The agendas' and time plans' fragments (the published tree, the editor's items, the time plan's sessions) show
# the meetings, their agendas and time plans, and of the documents only those an agenda item lists. They are kept
# under a second version, which every change replaces except that of a document no item lists: in a week of
# postings, a new contribution no longer makes every agenda be rendered again.
AGENDA_VERSION_KEY = "pagecache:version:agenda"
# The fragments that show only the meetings app's rows (a meeting's facts, deadlines, side events and letters; its
# study group's Questions), for people signed in, are kept under a third version that only the meetings app's
# changes (and releases) replace: in a crunch of postings they are not rendered again for every posting.
MEETINGS_VERSION_KEY = "pagecache:version:meetings"


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(key, version, None)
        version = cache.get(key) or version
    return version


# Where a request's store keeps the versions it has read (see ``_versions``).
_READ_VERSIONS = "pagecache:versions"


def _version_keys() -> list[str]:
    """Every version the portal keeps pages, fragments and answers under."""
    names = sorted(_WATCHED_FRAGMENTS)
    return [VERSION_KEY, AGENDA_VERSION_KEY, MEETINGS_VERSION_KEY, *(fragments_key(name) for name in names)]


def _versions(keys, *entries: str) -> tuple[tuple[str, ...], dict]:
    """The current values of the versions ``keys``, and those of the cache ``entries`` that are there, in one round
    trip to the cache at most.

    In a request, the first call reads every version there is (``_version_keys``) together with what it was asked
    for, and the request keeps them in its store: the versions it asks for later cost no round trip, and an entry
    kept under them one. A change the request makes replaces them in its store as in the cache (``_replace``).
    Another request's change is seen from the next request on: a request that reads a version before the rows it
    keeps under it is what keeps the cache right, and these are read first.

    The first entry read after ``bring_along(key)`` brings ``key`` along in the same round trip."""
    store = request_store()
    known = store.get(_READ_VERSIONS) if store is not None else None
    along = [key for key in store.pop(_ALONG, ()) if key not in entries] if entries and store is not None else []
    needed = [*keys, *(_shared(key) for key in keys if _shared(key))]
    if known is not None and known.keys() >= set(needed):
        if not entries:
            return _values(known, keys), {}
        if len(entries) == 1 and not along:
            value = cache.get(entries[0])
            return _values(known, keys), ({} if value is None else {entries[0]: value})
        found = cache.get_many([*entries, *along])
        _keep_brought(store, along, found)
        return _values(known, keys), found
    if known is None:  # the request's first read: every version there is
        needed += _version_keys() if store is not None else []
    wanted = [key for key in dict.fromkeys(needed) if known is None or key not in known]
    along = [key for key in along if key not in wanted]
    found = cache.get_many([*wanted, *entries, *along])
    # A person's own version may not be there: the shared one then stands for it (``_values``).
    known = {**(known or {}), **{k: found.get(k) if _shared(k) else found.get(k) or _version(k) for k in wanted}}
    if store is not None:
        store[_READ_VERSIONS] = known
        _keep_brought(store, along, found)
    return _values(known, keys), {k: found[k] for k in entries if k in found}


# Marks a person's own version of a name's fragments (``own_version_key``).
_OWN = ":own:"
# The names whose answers are kept under their viewer's own version (``kept_per_person(own=...)``).
_OWN_NAMES: set[str] = set()


def own_version_key(name: str, pk) -> str:
    """The cache key of the person ``pk``'s own version of the fragments named ``name``: the one their answers
    that show only their own rows (their registration for a meeting) are kept under, replaced by the changes of
    those rows alone (``bump_own_fragments``).

    A person whose rows never changed has none: the name's shared version, which every change of its rows
    replaces, stands for it. An answer kept under the shared one is not served once the person has their own; and
    once their own is gone (evicted), under the shared one again, which their change replaced too."""
    return f"{fragments_key(name)}{_OWN}{pk}"


def _shared(key: str) -> str | None:
    """The shared version a person's own version falls back to; None for any other key."""
    return key.split(_OWN, 1)[0] if _OWN in key else None


def _values(known: dict, keys) -> tuple[str, ...]:
    return tuple(known[key] or known[_shared(key)] if _shared(key) else known[key] for key in keys)


# Where a request's store keeps the keys its next entry read brings along (``bring_along``), and what they brought.
_ALONG = "pagecache:along"
_BROUGHT = "pagecache:brought"
NOT_BROUGHT = object()


def _keep_brought(store, along, found) -> None:
    """Keeps what the keys ``along`` brought: an entry for ``take_brought``, a person's own version among the
    versions the request has read (``_versions`` has stored them before it calls this)."""
    brought, known = store.setdefault(_BROUGHT, {}), store[_READ_VERSIONS]
    for key in along:
        if _shared(key):
            known.setdefault(key, found.pop(key, None))
        else:
            brought[key] = found.pop(key, None)


def bring_along(*keys: str) -> None:
    """The request will read the cache entries ``keys`` (its person's kept answers, the header's fragment): the
    next entry it reads through this module brings them along, in the same round trip. ``take_brought(key)``
    then gives what was found. Outside a request, nothing."""
    store = request_store()
    if store is not None:
        waiting = store.setdefault(_ALONG, [])
        waiting.extend(key for key in keys if key not in waiting)


def take_brought(key: str):
    """The value of the cache entry ``key`` (None if it was not there) as brought along since ``bring_along(key)``,
    once; ``NOT_BROUGHT`` if it was not (yet), and the caller reads it itself."""
    store = request_store()
    if store is None or key not in store.get(_BROUGHT, {}):
        return NOT_BROUGHT
    return store[_BROUGHT].pop(key)


def read_ahead(key: str, later: list[str]):
    """The cache entry ``key`` (None if it is not there), read in one round trip with the entries ``later`` the
    request will ask for after it: ``take_brought`` then gives each of those once. Outside a request, ``key``
    alone (nothing would keep the others)."""
    store = request_store()
    later = [other for other in dict.fromkeys(later) if other != key]
    if store is None or not later:
        return cache.get(key)
    found = cache.get_many([key, *later])
    brought = store.setdefault(_BROUGHT, {})
    for other in later:
        brought[other] = found.get(other)
    return found.get(key)


def expect_person(pk) -> None:
    """The request is that of the person ``pk`` (as its session says, before the user is read): their kept answers,
    and their own versions they are kept under, come along with the first entry the request reads
    (``kept_per_person``), saving a round trip of their own."""
    if pk is not None:
        bring_along(_person_key(pk), *(own_version_key(name, pk) for name in sorted(_OWN_NAMES)))


def read_with_versions(key: str):
    """The cache entry ``key``, or None; read together with the versions if the request has not read them yet (a
    signed-in request's session, ``sg17portal.sessions``: its first read)."""
    return _versions((), key)[1].get(key)


def content_version() -> str:
    return _versions([VERSION_KEY])[0][0]


def agenda_version() -> str:
    """The version the agendas' and time plans' fragments are kept under (see ``AGENDA_VERSION_KEY``)."""
    return _versions([AGENDA_VERSION_KEY])[0][0]


def meetings_version() -> str:
    """The version the fragments that show only meetings are kept under (see ``MEETINGS_VERSION_KEY``)."""
    return _versions([MEETINGS_VERSION_KEY])[0][0]


def fragments_key(name: str) -> str:
    """The cache key of the version of the fragments named ``name`` (for ``kept``)."""
    return f"{VERSION_KEY}:{name}"


def fragments_versions(*names: str) -> str:
    """The versions of the fragments named ``names`` (see ``fragments_version``) as one value: for a fragment that
    shows the rows of several apps."""
    return ".".join(_versions([fragments_key(name) for name in names])[0])


def fragments_version(name: str) -> str:
    """The version of the signed-in pages' fragments named ``name`` (an app's own, e.g. ``"registrations"``): the
    cached parts of pages that show rows the public pages do not. ``bump_fragments(name)`` replaces it."""
    return _versions([fragments_key(name)])[0][0]


def _replace(keys: tuple[str, ...], *, in_cache=None) -> None:
    """New values for the versions ``keys``: in the cache, and in the request's store (what it reads next is read
    under them). With ``in_cache`` (some of the keys), only those in the cache, the others in the request's store
    alone: a change that the transaction's commit replaces in the cache anyway still makes the request's own later
    reads miss what it kept before."""
    replaced = {key: uuid.uuid4().hex for key in keys}
    written = replaced if in_cache is None else {key: replaced[key] for key in keys if key in in_cache}
    if written:
        cache.set_many(written, None)
    store = request_store()
    if store is not None and _READ_VERSIONS in store:
        store[_READ_VERSIONS].update(replaced)


class _ReplaceAtCommit:
    """The versions a transaction replaces once it commits, all in one write to the cache.

    It also remembers which of them the request making the changes has written to the cache at once already: a
    posting saves its number, document, revision and files, and the first change of each version is the one to
    write now; the commit's write is what keeps a request that read the old rows from storing them under the new
    version. Another request (a test's next one, inside the same transaction that never commits) writes at once
    again."""

    def __init__(self):
        self.keys: set[str] = set()
        self.written_by = None  # the store of the request that replaced ``written`` at once
        self.written: set[str] = set()

    def __call__(self):
        _replace(tuple(sorted(self.keys)))

    def to_write_now(self, keys: tuple[str, ...], store) -> set[str]:
        """Which of ``keys`` the request (its ``store``) has not written at once yet in this transaction."""
        if store is None:  # outside a request: nothing tells one caller from the next
            return set(keys)
        if self.written_by is not store:
            self.written_by, self.written = store, set()
        fresh = set(keys) - self.written
        self.written.update(keys)
        return fresh


def _replacement_at_commit(connection) -> _ReplaceAtCommit:
    """The replacement the current transaction makes when it commits; a new one if it has none yet.

    One serves the whole transaction. A savepoint rolled back takes away the one asked for inside it (Django
    drops its callbacks), and with it only changes rolled back too. One asked for inside a savepoint released
    since runs at the commit unless a savepoint around it rolls back, which also encloses the change joining it.
    """
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _ReplaceAtCommit):
            return callback
    replacement = _ReplaceAtCommit()
    transaction.on_commit(replacement)
    return replacement


def _bump(keys: tuple[str, ...]) -> None:
    try:
        connection = transaction.get_connection()
        if not connection.in_atomic_block:  # the change is committed already: once is enough
            _replace(keys)
            return
        # In the cache now, once per request; in the request's store at every change; and in the cache again at the
        # commit, with every other version the transaction replaces.
        at_commit = _replacement_at_commit(connection)
        at_commit.keys.update(keys)
        _replace(keys, in_cache=at_commit.to_write_now(keys, request_store()))
    except Exception:  # the cache down must not break a write; the pages then expire within their timeout
        logger.exception("The page cache's version could not be replaced.")


def bump_content_version(*, on_agendas: bool = True, on_meetings: bool = True) -> None:
    """Every cached page is out of date: now, and again once the current transaction (if any) commits. With
    ``on_agendas=False``, the agendas' and time plans' fragments stay (a change they do not show); with
    ``on_meetings=False``, so do the fragments that show only meetings."""
    keys = (
        (VERSION_KEY,)
        + ((AGENDA_VERSION_KEY,) if on_agendas else ())
        + ((MEETINGS_VERSION_KEY,) if on_meetings else ())
    )
    _bump(keys)


def _entry_with_versions(key: str, version_keys) -> tuple[tuple[str, ...], object]:
    """The versions ``version_keys`` and the cache entry ``key`` (None if it is not there): as brought along
    (``bring_along(key)``), with no read of its own, else read together with the versions (``_versions``)."""
    brought = take_brought(key)
    if brought is not NOT_BROUGHT:
        return _versions(version_keys)[0], brought
    versions, found = _versions(version_keys, key)
    return versions, found.get(key)


def kept(key: str, version_keys, compute, timeout: int, *, keep=lambda value: True):
    """``compute()``, kept in the cache under ``key`` with the versions named by ``version_keys`` (keys of this
    module's versions): read together with them in one round trip (see ``_versions``), computed again once one of
    them has changed or after ``timeout`` seconds. ``keep(value)`` says whether a value is worth storing. A cache
    that does not answer gets ``compute()`` itself. An entry brought along (``bring_along(key)``) costs no read."""
    try:
        versions, entry = _entry_with_versions(key, version_keys)
    except Exception:  # the cache down must not take the page with it; the database answers
        logger.exception("A kept answer could not be read.")
        return compute()
    if entry is not None and entry[0] == versions:
        return entry[1]
    value = compute()
    if keep(value):
        try:
            cache.set(key, (versions, value), timeout)
        except Exception:
            logger.exception("A kept answer could not be stored.")
    return value


# How long one person's kept answer lives (``kept_per_person``); a change of its version replaces it before that.
PERSON_SECONDS = 3600


def _person_key(pk) -> str:
    return f"pagecache:person:{pk}"


def _kept_for_person(pk, answer: str, version_keys, compute):
    """``compute()``, kept among the answers of the person ``pk`` (see ``kept_per_person``)."""
    key = _person_key(pk)
    store = request_store()
    try:
        if store is not None and key in store:
            versions, answers = _versions(version_keys)[0], store[key]
        else:
            versions, answers = _entry_with_versions(key, version_keys)
            answers = answers or {}
    except Exception:  # the cache down must not take the page with it; the database answers
        logger.exception("A kept answer could not be read.")
        return compute()
    if store is not None:
        store[key] = answers
    now = time.time()
    entry = answers.get(answer)
    if entry is not None and entry[0] == versions and now - entry[2] < PERSON_SECONDS:
        # Stored pickled: each call gets an object of its own, as from the cache, not one another call changed.
        return pickle.loads(entry[1])  # noqa: S301 - written by this function into the portal's own cache
    value = compute()
    if store is not None:  # with what the answers computed meanwhile (one asking another) have added
        answers = store[key]
    answers = {a: e for a, e in answers.items() if now - e[2] < PERSON_SECONDS}
    answers[answer] = (versions, pickle.dumps(value, pickle.HIGHEST_PROTOCOL), now)
    if store is not None:
        store[key] = answers
    try:
        cache.set(key, answers, PERSON_SECONDS)
    except Exception:
        logger.exception("A kept answer could not be stored.")
    return value


def kept_per_person(*names: str, own: tuple[str, ...] = ()):
    """Keeps ``function(user, *rows)`` in the cache for each person signed in (and each of the rows it is asked
    about, e.g. a meeting, told apart by their primary keys), under the versions ``names`` (see
    ``fragments_version``), computed again once one of them has changed or after ``PERSON_SECONDS``.
    For what pages ask about the person asking (their groups, the entities they are focal point of, their
    registration for a meeting) and that changes only with the rows the versions follow.

    A person's answers are kept together, in one entry: a page reads all it asks about its viewer in one round trip
    (the first of them, with the versions if the request has not read them yet), and the request keeps the entry for
    the others. Two requests of the same person that store an answer at once may each keep only its own: the other
    is computed again the next time. Anonymous visitors and a cache that does not answer get
    ``function(user, *rows)`` itself.

    An answer that shows only the person's own rows of a name (their registration) is kept under their own version
    of it instead (``own``, see ``own_version_key``): others' changes of those rows leave it alone. It needs a
    shared name beside (``names``): a release replaces the shared versions, not every person's own."""
    if own and not names:
        raise ValueError("An answer kept under people's own versions needs a shared one too, which a release replaces.")
    version_keys = [fragments_key(name) for name in names]
    _OWN_NAMES.update(own)

    def decorate(function):
        name = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def kept_answer(user, *rows):
            if not getattr(user, "is_authenticated", False):
                return function(user, *rows)
            answer = ":".join([name, *(str(row.pk) for row in rows)])
            keys = [*version_keys, *(own_version_key(mine, user.pk) for mine in own)]
            return _kept_for_person(user.pk, answer, keys, functools.partial(function, user, *rows))

        return kept_answer

    return decorate


def bump_agenda_version() -> None:
    """The agendas' and time plans' fragments are out of date (a document an agenda item lists changed)."""
    _bump((AGENDA_VERSION_KEY,))


def bump_fragments(*names: str) -> None:
    """The fragments named ``names`` are out of date: now, and again once the current transaction commits."""
    _bump(tuple(fragments_key(name) for name in names))


def bump_own_fragments(name: str, *people) -> None:
    """The fragments named ``name`` are out of date, and so is each of ``people``'s own version of them (primary
    keys: those whose rows changed, see ``own_version_key``): now, and again once the current transaction commits.
    """
    _bump((fragments_key(name), *(own_version_key(name, pk) for pk in sorted(set(people)))))


def _is_change(kwargs) -> bool:
    """Whether a signal reports a change made: not fixtures being loaded, not the "pre_" half of an m2m change."""
    return not kwargs.get("raw") and not kwargs.get("action", "post_").startswith("pre_")


# Cached, so each receiver lives as long as the process: a signal keeps only a weak reference to its receiver.
@functools.cache
def _on_change(*, on_agendas: bool, on_meetings: bool):
    def changed(sender, **kwargs):
        if _is_change(kwargs):
            bump_content_version(on_agendas=on_agendas, on_meetings=on_meetings)

    return changed


@functools.cache
def _on_fragments_change(name: str, unshown: frozenset[str]):
    def changed(sender, **kwargs):
        written = kwargs.get("update_fields")
        if _is_change(kwargs) and not (written and written <= unshown):
            bump_fragments(name)

    return changed


# The names given to ``watch_fragments``: a release replaces their versions too.
_WATCHED_FRAGMENTS: set[str] = set()


def watch_fragments(name: str, *senders, unshown: frozenset[str] = frozenset()) -> None:
    """Any save or delete of a model of ``senders``, or any change of a many-to-many relation given by its
    through model, replaces the version of the fragments named ``name`` (``fragments_version``), as does a
    release; a save that wrote only fields named in ``unshown`` (a person's last sign-in) does not. Called from an
    app's ``ready()``."""
    _WATCHED_FRAGMENTS.add(name)
    handler = _on_fragments_change(name, frozenset(unshown))
    for sender in senders:
        uid = f"fragments-{name}-{sender._meta.label}"
        if sender._meta.auto_created:
            m2m_changed.connect(handler, sender=sender, dispatch_uid=f"{uid}-m2m")
        else:
            post_save.connect(handler, sender=sender, dispatch_uid=f"{uid}-save")
            post_delete.connect(handler, sender=sender, dispatch_uid=f"{uid}-delete")


@functools.cache
def _on_own_change(name: str, person: str):
    def changed(sender, instance, **kwargs):
        if _is_change(kwargs):
            bump_own_fragments(name, getattr(instance, person))

    return changed


def watch_own_fragments(name: str, sender, *, person: str) -> None:
    """Any save or delete of a ``sender`` row replaces the version of the fragments named ``name``, and the own
    version of the person its field ``person`` names (``bump_own_fragments``). Called from an app's ``ready()``."""
    _WATCHED_FRAGMENTS.add(name)
    handler = _on_own_change(name, person)
    uid = f"fragments-{name}-own-{sender._meta.label}"
    post_save.connect(handler, sender=sender, dispatch_uid=f"{uid}-save")
    post_delete.connect(handler, sender=sender, dispatch_uid=f"{uid}-delete")


def _released(sender, **kwargs):
    bump_content_version()
    _bump(tuple(fragments_key(name) for name in sorted(_WATCHED_FRAGMENTS)))


def watch_releases(app_config) -> None:
    """Each ``migrate`` (run at every release: compose's ``migrate`` service, ``make run``) changes the content
    version: the pages and fragments in the cache were rendered by the templates of the release before."""
    post_migrate.connect(_released, sender=app_config, dispatch_uid="pagecache-release")


def watch_app(app_config, *, on_agendas: bool = True, on_meetings: bool = False) -> None:
    """Any save or delete of a model of ``app_config`` (an app whose rows the public pages show), or a change of
    one of its many-to-many relations, changes the content version. Called from the app's ``ready()``.

    ``on_agendas=False`` for an app whose rows the agendas show only some of: its changes leave the agendas'
    version alone, and the app that shows those rows replaces it for them (``bump_agenda_version``).
    ``on_meetings=True`` for the meetings app alone: its changes also replace the meetings' version."""
    handler = _on_change(on_agendas=on_agendas, on_meetings=on_meetings)
    for model in app_config.get_models():
        label = model._meta.label
        post_save.connect(handler, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"pagecache-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(handler, sender=through, dispatch_uid=f"pagecache-m2m-{label}-{field.name}")


def _plain_read(request) -> bool:
    # The public pages take no query: an address with one (made up, or a tracking tag) is rendered, not stored,
    # so nobody can fill the cache with as many copies of a page as they can invent queries.
    return request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING")


def _cacheable_request(request) -> bool:
    if not _plain_read(request) or request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _key(request, language: str | None = None) -> str:
    """The key of the page at the request's address in ``language`` (the active one unless named)."""
    address = request.build_absolute_uri()
    digest = hashlib.sha256(f"{address}\n{language or translation.get_language()}".encode()).hexdigest()
    return f"pagecache:answer:{digest}"


def _lookup(key: str):
    """The current content version, and the answer stored under ``key`` if it is of that version."""
    (version,), found = _versions([VERSION_KEY], key)
    entry = found.get(key)
    if entry is not None and entry[0] != version:
        entry = None
    return version, entry


def _timeout() -> int:
    return settings.PAGE_CACHE_SECONDS


def _storable(request, response) -> bool:
    """Whether the answer, as it leaves the middleware inside ``PublicPageMiddleware``, is the same for every
    anonymous visitor: it sets no cookie, changed no session and used no CSRF token (a token belongs to one
    visitor)."""
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


def _answer(request, entry) -> HttpResponse:
    """The stored answer ``entry``: whole, or a 304 for a visitor who sent its ETag back."""
    _version, content, headers, etag = entry
    response = HttpResponse(content)
    for name, value in headers:
        response.headers[name] = value
    request.page_cache = "hit"
    return get_conditional_response(request, etag=etag, response=response)


def _language_from_address(request) -> str | None:
    """The language an anonymous visitor's page at this address is served in, decided before the locale
    middleware does (``sg17portal.languages``): the address's prefix; at a bare address English, unless the visitor
    prefers another language (they are then sent to its address: None)."""
    language = translation.get_language_from_path(request.path_info)
    if language is not None:
        return language
    if translation.get_language_from_request(request, check_path=False) != settings.LANGUAGE_CODE:
        return None
    return settings.LANGUAGE_CODE


def _early_key(request) -> str | None:
    """The key of the page an anonymous visitor's request asks for, when it can be known from the request alone:
    a GET or HEAD without a query, from a visitor without a session (so anonymous) and without messages waiting."""
    if not _plain_read(request):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    language = _language_from_address(request)
    return None if language is None else _key(request, language)


class PublicPageMiddleware:
    """Answers anonymous visitors' public pages from the cache before the session, the person and the language are
    worked out, and stores the pages ``public_page`` rendered, with the headers the middleware inside it added.

    Placed before the session middleware (and after the security, static files and Content-Security-Policy
    middleware, whose headers every answer gets). A visitor with a session cookie may still be anonymous: their
    request goes on, and ``public_page`` answers it from the same entries once the person is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _early_key(request)
        if key is not None:
            try:
                version, entry = _lookup(key)
            except Exception:
                logger.exception("The page cache could not be read.")
            else:
                if entry is not None:
                    return _answer(request, entry)
                request._page_cache_missed = (key, version)
        response = self.get_response(request)
        pending = getattr(request, "_page_cache_pending", None)
        if pending is not None and _storable(request, response):
            key, version, etag = pending
            try:
                cache.set(key, (version, response.content, list(response.headers.items()), etag), _timeout())
            except Exception:
                logger.exception("A page could not be stored in the cache.")
        return response


def public_page(view):
    """Serves ``view`` to anonymous visitors from the page cache (see the module's docstring): the entries are
    read and stored by ``PublicPageMiddleware``, which answers the visitors it knows to be anonymous without
    calling the view; this answers the others (a session without a person)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        missed = getattr(request, "_page_cache_missed", None)
        if missed is not None and missed[0] == key:
            version = missed[1]
        else:
            try:
                version, entry = _lookup(key)
            except Exception:
                logger.exception("The page cache could not be read.")
                return view(request, *args, **kwargs)
            if entry is not None:
                return _answer(request, entry)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
            response.render()
        request.page_cache = "miss"
        if response.status_code == 200 and not response.streaming and "Cache-Control" not in response.headers:
            etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            response.headers["ETag"] = etag
            request._page_cache_pending = (key, version, etag)
        # Browsers and proxies check back each time: the page is fresh only as long as the data it shows.
        patch_cache_control(response, no_cache=True)
        return response

    return wrapper
