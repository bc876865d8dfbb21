"""The production topology measured natively (tests/topology/stack.py: nginx on deploy/nginx.conf, gunicorn nodes,
a worker, a redis-server and moto's S3 server on free ports):

- the meeting page, requests per second through nginx with two and then one web node (wrk, 2 threads, 10
  connections, 10 s; each node 2 gunicorn workers): compare the two figures with each other;
- the participants-list PDF job for 1,000 approved delegates: from the request to the file in the bucket.

Run from the project folder: ``.venv/bin/python bench/topology_bench.py`` (PostgreSQL at DATABASE_URL's server).
Needs nginx, redis-server and wrk. The figures depend on the machine's load: compare only within one run.
"""

import os
import re
import shutil
import subprocess
import sys
import time

from common import ROOT, throwaway_django

sys.path.insert(0, str(ROOT))


def wrk(url: str) -> float:
    out = subprocess.run(
        ["wrk", "-t2", "-c10", "-d10s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"wrk saw {non_2xx.group(1)} error answers:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def load() -> str:
    """The load average (1, 5, 15 min): on a shared machine a figure means little without it."""
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def make_participants(meeting, count: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from registration.models import MemberEntity, Registration

    entities = MemberEntity.objects.bulk_create(
        [MemberEntity(name=f"Administration {n:02d}", category="administration", country="CH") for n in range(40)]
    )
    password = make_password(None)
    people = User.objects.bulk_create(
        [
            User(email=f"d{n}@example.org", given_name=f"Given{n}", family_name=f"Family{n:04d}", password=password)
            for n in range(count)
        ]
    )
    Registration.objects.bulk_create(
        [
            Registration(
                meeting=meeting, delegate=p, entity=entities[n % 40], state="approved", decided_at=timezone.now()
            )
            for n, p in enumerate(people)
        ]
    )


def main() -> None:
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed")
    with throwaway_django("bench_topology", test_environment=False):
        from django.db import connection

        from meetings.models import Meeting, PdfJob
        from meetings.pdf_jobs import request_pdf_job
        from tests.factories import MeetingFactory, UserFactory, open_meeting
        from tests.integration.conftest import database_url
        from tests.topology.stack import Stack

        meeting = MeetingFactory(state=Meeting.State.ANNOUNCED)
        big = open_meeting()
        make_participants(big, 1000)
        secretariat = UserFactory()
        connection.close()

        stack = Stack(database_url(), web_nodes=2, gunicorn_workers=2)
        try:
            stack.start()
            page = f"{stack.url}/meetings/{meeting.pk}/"
            assert stack.get(f"/meetings/{meeting.pk}/").status == 200
            load_before = load()
            two = wrk(page)
            print(f"meeting page through nginx, 2 web nodes: {two:.0f} req/s ({load_before} before, {load()} after)")
            stack.web.pop(stack.web_ports[1]).stop()
            load_before = load()
            one = wrk(page)
            print(f"meeting page through nginx, 1 web node: {one:.0f} req/s ({load_before} before, {load()} after)")
            print(
                f"ratio 2 nodes / 1 node: {two / one:.2f} ({os.cpu_count()} cores shared by nginx, the nodes, "
                "PostgreSQL and wrk)"
            )

            from sg17portal.celery import app

            load_before = load()
            started = time.monotonic()
            job = request_pdf_job(big, kind="participants", by=secretariat)
            # This process runs the test settings (no Redis); the stack's worker listens on the stack's Redis.
            with app.connection_for_write(stack.redis_url) as conn:
                app.send_task("meetings.render_pdf_job", args=[job.pk], queue="pdf", connection=conn)
            while True:
                job.refresh_from_db()
                if job.is_finished:
                    break
                time.sleep(0.2)
            took = time.monotonic() - started
            print(
                f"participants PDF job, 1,000 delegates: {job.state} in {took:.1f} s from request to file "
                f"(render in the worker {(job.finished_at - job.started_at).total_seconds():.1f} s; "
                f"{load_before} before, {load()} after)"
            )
            PdfJob.objects.all().delete()
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
