"""The few views that belong to the portal as a whole: the home page, health, error pages."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


def home(request):
    return render(request, "home.html")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_answers() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def _cache_state() -> str:
    """ "ok", "database fallback" while Redis is down (sg17portal.cache), or "down"."""
    from django.core.cache import caches

    from .cache import RedisWithDatabaseFallback, redis_is_down

    cache = caches["default"]
    try:
        cache.set("health:probe", 1, 10)
        answered = cache.get("health:probe") == 1
    except Exception:
        return "down"
    if isinstance(cache, RedisWithDatabaseFallback) and redis_is_down():
        return "database fallback"
    return "ok" if answered else "down"


@never_cache
@require_GET
def health(request):
    """What works: 503 only without the database; with Redis down the portal answers "degraded".

    Without the broker, queued work waits in the database (the outbox, PDF jobs) and goes out once it is back.
    """
    database = _database_answers()
    checks = {
        "database": "ok" if database else "down",
        "broker": "ok" if _broker_answers() else "down",
        "cache": _cache_state() if database else "unknown",
    }
    degraded = sorted(name for name, state in checks.items() if state != "ok")
    status = "unavailable" if not database else ("degraded" if degraded else "ok")
    return JsonResponse({"status": status, **checks, "degraded": degraded}, status=503 if not database else 200)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
