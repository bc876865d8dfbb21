"""What one request reads several times about its person, read once: the request-scoped memo.

Predicates are asked many times per page (every button, every row), and some need a query about the person asking
(their groups, the entities they are focal point of). ``per_request`` keeps such an answer for the rest of the
request, keyed on the function and the user's id, in a store that ``RequestCacheMiddleware`` opens when the request
starts and drops when it ends. Nothing is written onto the user object, so a predicate never depends on another one
having run first, and nothing outlives its request or crosses to another person.

Outside a request (a Celery task, a management command, a shell, a test calling a predicate directly) there is no
store: the function simply queries, every time.
"""

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

# A context variable, not a module global: each thread (and each asyncio task) serving a request has its own.
_store: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_cache", default=None)


def per_request(function: Callable[..., T]) -> Callable[..., T]:
    """Memoizes ``function(user)`` for the current request, keyed on the user's id; outside a request, calls it.

    An anonymous user (no id) is never memoized: the functions answer them without a query.
    """

    @functools.wraps(function)
    def memoized(user) -> T:
        store = _store.get()
        pk = getattr(user, "pk", None)
        if store is None or pk is None:
            return function(user)
        key = (memoized, pk)
        if key not in store:
            store[key] = function(user)
        return store[key]

    return memoized


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    """A fresh store for the code inside (one request); the store that was there before comes back after it."""
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


@contextlib.contextmanager
def outside_request() -> Iterator[None]:
    """No store for the code inside: a task run while a request is being served still queries afresh."""
    token = _store.set(None)
    try:
        yield
    finally:
        _store.reset(token)


def in_request_scope() -> bool:
    return _store.get() is not None


def request_store() -> dict | None:
    """The current request's store, for a module that keeps its own entries in it under keys of its own (the page
    cache's versions, ``sg17portal.pagecache``); None outside a request."""
    return _store.get()


class RequestCacheMiddleware:
    """Opens the request's store before anything else runs and drops it once the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            return self.get_response(request)
