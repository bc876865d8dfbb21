"""The few views that belong to the portal as a whole: the home page, health, error pages."""

import datetime

from allauth.account.models import EmailAddress
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.rules import is_secretariat
from documents import queries as documents_queries
from meetings import queries as meetings_queries
from registration import queries as registration_queries
from registration.models import Affiliation

from .celery import app as celery_app
from .pagecache import public_page

# How far back the secretariat's home page lists late postings.
LATE_POSTINGS_SHOWN_FOR = datetime.timedelta(days=14)


def _actions(user) -> dict:
    """What needs the person's action, per role, read from each app's queries."""
    now = timezone.now()
    affiliations = registration_queries.affiliations_of(user)
    registrations = registration_queries.live_registrations_of(user, now=now)
    registered = [r.meeting_id for r in registrations if r.is_active]
    actions = {
        "email_verified": EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists(),
        "affiliations": affiliations,
        "is_member": any(a.state == Affiliation.State.APPROVED for a in affiliations),
        "pending_affiliations": [a for a in affiliations if a.state == Affiliation.State.PENDING],
        "registrations": registrations,
        "deadlines": meetings_queries.next_deadlines(meetings=registered or None, now=now),
        "td_drafts": list(documents_queries.td_drafts_of(user)),
        "pending_approvals": registration_queries.pending_approvals(user),
    }
    if actions["pending_approvals"] is not None:
        actions["pending_by_meeting"] = registration_queries.pending_by_meeting(user)
        actions["pending_affiliation_requests"] = registration_queries.affiliations_for_focal_point(user).count()
    if is_secretariat(user):
        actions["td_queue"] = documents_queries.pending_td_drafts().count()
        actions["late_postings"] = documents_queries.late_postings(since=now - LATE_POSTINGS_SHOWN_FOR)
        actions["announcement_gaps"] = meetings_queries.drafts_missing_for_announcement()
    return actions


@public_page
def home(request):
    """The upcoming meetings for everyone; for a signed-in person, first what needs their action."""
    actions = _actions(request.user) if request.user.is_authenticated else None
    return render(request, "home.html", {"actions": actions, "is_secretariat": is_secretariat(request.user)})


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
