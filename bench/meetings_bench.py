"""Meetings benchmark: rendering the reference letter's PDF, and the meeting page's server time and query count.

Run with the venv's python; it loads the demo data in a throw-away PostgreSQL database on DATABASE_URL's server,
measures and drops the database again. The cache stays the one of REDIS_URL, if set, as in production:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg17_meetings REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/meetings_bench.py
"""

import os
import time
import uuid

from common import Timing, throwaway_django, time_calls, time_requests

BENCH_DB = "sg17_meetings_bench"
PDF_RUNS = 10
PAGE_RUNS = 200


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _summary(timing: Timing) -> str:
    return (
        f"median {timing.median_ms:.1f} ms, p95 {timing.p95_ms:.1f} ms, max {timing.worst_ms:.1f} ms "
        f"(n={len(timing.samples)})"
    )


def measure() -> None:
    from django.test import Client

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
    renders = time_calls(lambda: render_pdf(html), PDF_RUNS)
    html_times = time_calls(lambda: letter_html(queries.meeting_with_details().get(pk=reference.pk)), PDF_RUNS)

    client = Client()
    page_url = reference.get_absolute_url()
    anonymous = time_requests(client, page_url, PAGE_RUNS)
    client.login(email="delegate@example.org", password="portal-demo-2026")
    logged_in = time_requests(client, page_url, PAGE_RUNS)
    client.logout()
    pdf_view = time_requests(client, reference.get_absolute_url() + "letter.pdf", 50)
    ics_view = time_requests(client, reference.get_absolute_url() + "calendar.ics", 50)

    print("Meetings benchmark (reference letter: TSB Collective letter 12/17)")
    print(f"  weasyprint import:               {_ms(import_time)}")
    print(f"  letter PDF, first render:        {_ms(first_render)} ({len(pdf)} bytes)")
    print(f"  letter PDF, render:              {_summary(renders)}   target < 1000 ms")
    print(f"  letter HTML (data + template):   {_summary(html_times)}")
    print(f"  letter.pdf view, cached:         {_summary(pdf_view)}, {pdf_view.queries} queries")
    print(f"  calendar.ics view:               {_summary(ics_view)}, {ics_view.queries} queries")
    print(f"  meeting page, anonymous:         {_summary(anonymous)}, {anonymous.queries} queries")
    print(f"  meeting page, logged in:         {_summary(logged_in)}, {logged_in.queries} queries")


def main() -> None:
    # Cached letters of this run never meet those of another run or of the tests.
    os.environ["CACHE_KEY_PREFIX"] = f"meetings-bench-{uuid.uuid4().hex[:8]}"
    with throwaway_django(BENCH_DB, keep_redis=True):
        measure()


if __name__ == "__main__":
    main()
