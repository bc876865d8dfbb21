"""The cache falls back to the database while Redis does not answer, so login rate limits keep counting."""

import warnings

import pytest
from django.core.cache import CacheKeyWarning, caches
from django.urls import reverse

from sg17portal import cache as portal_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The default cache pointed at a port where nothing listens, as when Redis is stopped."""
    # Changing CACHES through the settings fixture makes Django build its cache connections anew.
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"},
    }
    portal_cache._down_until = 0.0
    yield caches["default"]
    portal_cache._down_until = 0.0


def test_cache_writes_go_to_the_database_while_redis_is_down(redis_down):
    redis_down.set("fallback-probe", 41, 60)
    assert redis_down.incr("fallback-probe") == 42
    assert caches["fallback"].get("fallback-probe") == 42
    assert portal_cache.redis_is_down()


def test_login_and_its_rate_limit_work_while_redis_is_down(redis_down, client):
    user = UserFactory(email="someone@example.org", password="right-password-1")
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        assert response.status_code == 200
    sixth = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert sixth.status_code == 429
    other = client.__class__()
    response = other.post(reverse("account_login"), {"login": "nobody@example.org", "password": "x"})
    assert response.status_code == 200
    assert portal_cache.redis_is_down()


def test_health_says_the_cache_is_on_its_fallback(redis_down, client):
    redis_down.set("anything", 1)
    body = client.get(reverse("health")).json()
    assert body["cache"] == "database fallback"
    assert "cache" in body["degraded"]


def test_the_redis_client_is_built_once_and_reused_by_every_operation():
    default = caches["default"]
    assert isinstance(default, portal_cache.RedisWithDatabaseFallback)
    client = default._cache.get_client("a", write=True)
    default.set("reused", 1, 10)
    assert default.get("reused") == 1
    assert default._cache.get_client("b", write=True) is client
    assert default._cache.get_client("c") is default._cache.get_client("d")


def test_redis_takes_keys_memcached_would_refuse_without_a_warning():
    redis = caches["default"]
    key = "a key with spaces " + "x" * 300
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        redis.set(key, 1, 10)
        assert redis.get(key) == 1
        assert redis.get_many([key, "another key"]) == {key: 1}


def test_the_database_fallback_still_checks_the_keys_it_is_given(redis_down):
    with pytest.warns(CacheKeyWarning):
        redis_down.set("a key with spaces", 1, 10)
    with pytest.warns(CacheKeyWarning):
        value = redis_down.get("a key with spaces")
    assert value == 1
