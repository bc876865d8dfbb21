"""Meetings benchmark: rendering the reference letter's PDF, and the meeting page's server time and query count.

Run with the venv's python; it creates a throw-away PostgreSQL database next to the one in DATABASE_URL
(suffix ``_meetings_bench``), loads the demo data, measures and drops the database again:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg17_meetings DJANGO_ENV=test \
        .venv/bin/python bench/meetings_bench.py
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sg17portal.settings")
os.environ.setdefault("DJANGO_ENV", "test")
# Cached letters of this run never meet those of another run or of the tests.
os.environ["CACHE_KEY_PREFIX"] = f"meetings-bench-{uuid.uuid4().hex[:8]}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PDF_RUNS = 10
PAGE_RUNS = 200


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {_ms(statistics.median(ordered))}, p95 {_ms(p95)}, max {_ms(ordered[-1])} (n={len(ordered)})"


def _time_requests(client: Client, url: str, runs: int) -> tuple[list[float], int]:
    client.get(url)  # warm-up: templates compiled, connections open
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return samples, len(queries)


def measure() -> None:
    from accounts.demo import load as load_accounts
    from meetings import queries
    from meetings.demo import load as load_meetings
    from meetings.models import Meeting
    from meetings.pdf import letter_html, render_pdf

    load_accounts()
    load_meetings()
    reference = Meeting.objects.get(letter_reference="TSB Collective letter 12/17")
    meeting = queries.meeting_with_details().get(pk=reference.pk)

    started = time.perf_counter()
    import weasyprint  # noqa: F401

    import_time = time.perf_counter() - started
    html = letter_html(meeting)
    started = time.perf_counter()
    pdf = render_pdf(html)
    first_render = time.perf_counter() - started
    renders = []
    for _ in range(PDF_RUNS):
        started = time.perf_counter()
        render_pdf(html)
        renders.append(time.perf_counter() - started)
    html_times = []
    for _ in range(PDF_RUNS):
        started = time.perf_counter()
        letter_html(queries.meeting_with_details().get(pk=reference.pk))
        html_times.append(time.perf_counter() - started)

    client = Client()
    page_url = reference.get_absolute_url()
    anonymous, anonymous_queries = _time_requests(client, page_url, PAGE_RUNS)
    client.login(email="delegate@example.org", password="portal-demo-2026")
    logged_in, logged_in_queries = _time_requests(client, page_url, PAGE_RUNS)
    client.logout()
    pdf_view, pdf_view_queries = _time_requests(client, reference.get_absolute_url() + "letter.pdf", 50)
    ics_view, ics_view_queries = _time_requests(client, reference.get_absolute_url() + "calendar.ics", 50)

    print("Meetings benchmark (reference letter: TSB Collective letter 12/17)")
    print(f"  weasyprint import:               {_ms(import_time)}")
    print(f"  letter PDF, first render:        {_ms(first_render)} ({len(pdf)} bytes)")
    print(f"  letter PDF, render:              {_summary(renders)}   target < 1000 ms")
    print(f"  letter HTML (data + template):   {_summary(html_times)}")
    print(f"  letter.pdf view, cached:         {_summary(pdf_view)}, {pdf_view_queries} queries")
    print(f"  calendar.ics view:               {_summary(ics_view)}, {ics_view_queries} queries")
    print(f"  meeting page, anonymous:         {_summary(anonymous)}, {anonymous_queries} queries")
    print(f"  meeting page, logged in:         {_summary(logged_in)}, {logged_in_queries} queries")


def main() -> None:
    setup_test_environment()
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"{database['NAME']}_meetings_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
