"""The deadline crunch: many delegates at once on the production stack, then a check of what they left behind.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/4 \
        .venv/bin/python bench/crunch.py

On SG17-scale data (``sg17_scale``), the portal runs with production settings on gunicorn (2 sync workers) and
CRUNCH_DELEGATES delegates (default 50), each a thread with its own session, work for CRUNCH_SECONDS (default
300). They arrive one after the other over the first CRUNCH_RAMP seconds (default 10; 0: all in the same
instant), as a load generator's spawn rate brings its users. Each signs in once, then over and over opens the
meeting page, the documents list and the agenda, registers (once), posts a contribution and a revision of it. Two
focal points decide on the new registrations as they come. Prints p50/p95/p99 and errors per action (target: no
error, p99 < 500 ms), then checks the database: the contribution numbers are distinct and without gap, every
registration that was confirmed to a delegate exists, every decision has exactly one mail in the outbox.
"""

import http.client
import http.cookies
import math
import os
import random
import re
import statistics
import threading
import time
import uuid
from collections import defaultdict
from urllib.parse import urlencode

import servers
from common import database_url, throwaway_django
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from http_bench import production_password_hash

BENCH_DB = os.environ.get("BENCH_DB", "sg17_crunch")
DELEGATES = int(os.environ.get("CRUNCH_DELEGATES", "50"))
SECONDS = int(os.environ.get("CRUNCH_SECONDS", "300"))
# gunicorn's sync workers: 2 as in http_bench by default; CRUNCH_WORKERS=deploy takes deploy/gunicorn.conf.py's
# count for this machine (twice the cores, plus one), as a web node is run.
WORKERS = os.environ.get("CRUNCH_WORKERS", "2")
# Over how many seconds the delegates arrive. With 0, the 52 sign-ins (each an Argon2 hash) and then the 50
# registrations all queue in the same second: the first seconds measure that burst rather than the crunch.
RAMP = float(os.environ.get("CRUNCH_RAMP", "10"))
# The length of the windows the run is shown in (CRUNCH_WINDOW).
WINDOW_SECONDS = int(os.environ.get("CRUNCH_WINDOW", "30"))
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A row of the focal point's queue: the registration, its delegate's address, and the form that approves it.
QUEUE_ROW = re.compile(
    r'<tr data-registration="(\d+)">.*?<span class="small text-body-secondary">([^<]+)</span>'
    r'.*?action="(/registration/\d+/approve/)"',
    re.S,
)


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(list)
        self.registered = []  # (delegate e-mail, registration URL) confirmed by a redirect
        self.posted = []  # document URLs confirmed by a redirect
        self.trace = []  # (start, seconds taken, action) of every timed request, for the windows

    def record(self, action, started, ok, detail=""):
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[action].append(elapsed)
            self.trace.append((started, elapsed, action))
            if not ok:
                self.errors[action].append(detail)


class Answer:
    """A response as the benchmark reads it."""

    def __init__(self, status, headers, body):
        self.status_code, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode()


class Visitor:
    """One browser: its cookies, the CSRF token, and timed requests.

    It speaks HTTP with the standard library's client, a new connection per request as gunicorn's sync workers
    close each one: a fuller client costs the load generator several times the CPU per request, taken from the two
    cores the portal is measured on."""

    def __init__(self, base_url, results):
        self.base, self.results = base_url, results
        self.host, self.port = base_url.removeprefix("http://").split(":")
        self.cookies = {}
        # The production settings trust the proxy's header: the requests count as HTTPS, as behind nginx.
        self.origin = base_url.replace("http:", "https:")

    def _request(self, method, path, *, body=None, content_type=None, referer=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.origin,
            "Referer": self.origin + (referer or path),
            # The cookies are marked Secure (HTTPS behind the proxy); gunicorn is spoken to in plain HTTP.
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
            for header in response.headers.get_all("Set-Cookie") or ():
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
        finally:
            connection.close()
        return answer

    def _get(self, path, referer=None):
        return self._request("GET", path, referer=referer)

    def _post(self, path, data, files, referer):
        if not files:
            return self._request(
                "POST", path, body=urlencode(data), content_type="application/x-www-form-urlencoded", referer=referer
            )
        uploads = {name: SimpleUploadedFile(*file) for name, file in files.items()}
        return self._request(
            "POST",
            path,
            body=encode_multipart(BOUNDARY, {**data, **uploads}),
            content_type=MULTIPART_CONTENT,
            referer=referer,
        )

    def get(self, action, path, *, expect=200):
        started = time.perf_counter()
        try:
            response = self._get(path)
        except OSError as error:
            self.results.record(action, started, False, repr(error))
            return None
        ok = response.status_code == expect
        self.results.record(action, started, ok, f"{response.status_code} {path}")
        return response if ok else None

    def post(self, action, path, data, *, files=None, form_path=None):
        """GETs the form (untimed, as the person reading it), then POSTs it (timed); a redirect is success."""
        form = self._get(form_path or path, referer=path)
        token = CSRF_INPUT.search(form.text)
        if form.status_code != 200 or token is None:
            self.results.record(action, time.perf_counter(), False, f"form {form.status_code} {path}")
            return None
        started = time.perf_counter()
        try:
            response = self._post(path, {**data, "csrfmiddlewaretoken": token.group(1)}, files, form_path or path)
        except OSError as error:
            self.results.record(action, started, False, repr(error))
            return None
        location = response.headers.get("location", "")
        ok = response.status_code == 302 and "/accounts/" not in location
        self.results.record(action, started, ok, f"{response.status_code} {path}")
        return response if ok else None

    def sign_in(self, email, password):
        return self.post("sign in", "/accounts/login/", {"login": email, "password": password})


def delegate_work(base, results, email, password, meeting_pk, entity_pk, deadline, pdf, arrival):
    time.sleep(arrival)
    visitor = Visitor(base, results)
    if visitor.sign_in(email, password) is None:
        return
    m = f"/meetings/{meeting_pk}"
    registered = False
    own_document = None
    while time.monotonic() < deadline:
        step = random.random()
        if not registered:
            response = visitor.post("register", f"{m}/register/", {"entity": entity_pk, "participation": "remote"})
            if response is not None:
                registered = True
                with results.lock:
                    results.registered.append((email, response.headers["location"]))
        elif step < 0.35:
            visitor.get("meeting page", f"{m}/")
        elif step < 0.55:
            visitor.get("documents list", f"{m}/documents/")
        elif step < 0.65:
            visitor.get("agenda", f"{m}/agenda/")
        elif step < 0.85 or own_document is None:
            response = visitor.post(
                "post contribution",
                f"{m}/contributions/new/",
                {"entity": entity_pk, "title": f"Crunch proposal {uuid.uuid4().hex[:8]} on identity"},
                files={"files": ("proposal.pdf", pdf, "application/pdf")},
            )
            if response is not None:
                own_document = response.headers["location"]
                with results.lock:
                    results.posted.append(own_document)
        else:
            visitor.post(
                "post revision",
                f"{own_document}revise/",
                {"note": "Updated text"},
                files={"files": ("proposal.pdf", pdf, "application/pdf")},
            )


def focal_point_work(base, results, email, password, deadline, arrival):
    time.sleep(arrival)
    visitor = Visitor(base, results)
    if visitor.sign_in(email, password) is None:
        return
    while time.monotonic() < deadline:
        # The queue is paged: the focal point reads its pages in turn and approves, of the crunch's delegates'
        # requests, the ones on the page in front of him (at most 5 at a time).
        page, found = 1, []
        while not found and time.monotonic() < deadline:
            queue = visitor.get("focal-point queue", f"/registration/queue/?page={page}")
            if queue is None:
                break
            found = [
                (path, page)
                for pk, email, path in QUEUE_ROW.findall(queue.text)
                if email.startswith("crunch") and path == f"/registration/{pk}/approve/"
            ][:5]
            if f"page={page + 1}" not in queue.text:
                break
            page += 1
        for path, on_page in found:
            visitor.post(
                "approve", path, {"next": f"/registration/queue/?page={on_page}"}, form_path="/registration/queue/"
            )
        time.sleep(0.5 if found else 1)


def check_database(world, crunch_people, results) -> list[str]:
    from django.db.models import Count

    from documents.models import Document, Kind
    from notifications.models import OutgoingMail
    from registration.models import Registration, RegistrationEvent

    problems = []
    numbers = list(
        Document.objects.filter(
            kind=Kind.CONTRIBUTION, study_group=world.meeting.study_group, study_period=world.meeting.study_period
        ).values_list("number", flat=True)
    )
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        problems.append(f"contribution numbers are not 1..{len(numbers)} without gap or duplicate")
    if len(results.posted) != Document.objects.filter(title__startswith="Crunch proposal").count():
        problems.append("a confirmed posting is missing, or a posting exists that nobody was told about")
    registered = {email for email, _url in results.registered}
    stored = set(
        Registration.objects.filter(meeting=world.meeting, delegate__email__in=crunch_people).values_list(
            "delegate__email", flat=True
        )
    )
    if registered - stored:
        problems.append(f"lost registrations: {sorted(registered - stored)[:5]}")
    decisions = RegistrationEvent.objects.filter(
        registration__delegate__email__in=crunch_people, to_state__in=["approved", "rejected"]
    )
    for event in decisions.select_related("registration"):
        mails = OutgoingMail.objects.filter(dedupe_key=f"registration:{event.registration_id}:{event.to_state}").count()
        if mails != 1:
            problems.append(f"registration {event.registration_id} {event.to_state}: {mails} mails")
    doubles = (
        RegistrationEvent.objects.filter(registration__delegate__email__in=crunch_people, to_state="approved")
        .values("registration")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    if doubles:
        problems.append(f"{len(doubles)} registrations approved twice")
    return problems, len(numbers), len(stored), decisions.count()


def machine_busy() -> tuple[int, int]:
    """The machine's CPU time so far, busy and in all, from ``/proc/stat`` (every core; idle and waiting on a disk
    are not busy)."""
    ticks = [int(field) for field in open("/proc/stat").readline().split()[1:]]  # noqa: SIM115, PTH123
    idle = ticks[3] + ticks[4]
    return sum(ticks[:8]) - idle, sum(ticks[:8])


def redis_commands() -> int:
    """The commands Redis has processed so far (every client's: nothing else is expected to use it meanwhile)."""
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"]).info("stats")["total_commands_processed"]


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


class WindowSampler(threading.Thread):
    """Reads the workers' time on a core and waiting for one (``scheduler_seconds``) at the start of the run and at
    the end of every window: what each window's requests cost the workers, beside how fast they were served."""

    def __init__(self, portal, started, seconds=WINDOW_SECONDS):
        super().__init__(daemon=True)
        self.portal, self.started, self.seconds = portal, started, seconds
        self.stopped = threading.Event()
        self.samples = [portal.scheduler_seconds()]

    def run(self):
        window = 1
        while not self.stopped.wait(max(0.0, self.started + window * self.seconds - time.perf_counter())):
            self.samples.append(self.portal.scheduler_seconds())
            window += 1

    def stop(self):
        self.stopped.set()
        self.join()
        self.samples.append(self.portal.scheduler_seconds())  # the end of the last window, shorter or not


def print_windows(trace, started, scheduled=(), seconds=WINDOW_SECONDS, run_seconds=SECONDS):
    """The timed requests by the window they started in, counted from ``started`` (the run's clock): how
    throughput and latency moved during the run (the machine's speed drifts; a p99 of the whole run mixes its fast
    and slow minutes). The last window is as long as what is left of the run; the few requests started in the
    instant after it count in it. With ``scheduled`` (a ``WindowSampler``'s samples), what each window's requests
    cost the workers on a core (their untimed forms included), and how long they waited for one."""
    if not trace:
        return
    last_window = max(0, math.ceil(run_seconds / seconds) - 1)
    windows = defaultdict(list)
    for begun, elapsed, _action in trace:
        windows[min(last_window, max(0, int((begun - started) // seconds)))].append(elapsed)
    print(f"\nBy {seconds} s window (every action):\n")
    print("| from | requests | per second | p50 | p99 | workers' CPU per request | workers waiting for a core |")
    print("|---|---|---|---|---|---|---|")
    for window, samples in sorted(windows.items()):
        length = min(seconds, run_seconds - window * seconds)  # shorter for the last window only
        cost = ""
        if window + 1 < len(scheduled):
            (running, queued), (running_before, queued_before) = scheduled[window + 1], scheduled[window]
            cost = f"{(running - running_before) / len(samples) * 1000:.1f} ms | {queued - queued_before:.1f} s"
        print(
            f"| {window * seconds} s | {len(samples)} | {len(samples) / max(length, 1):.1f} | "
            f"{percentile(samples, 0.50):.0f} ms | {percentile(samples, 0.99):.0f} ms | {cost or '|'} |"
        )


def run(world, var_dir):
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from registration.models import Affiliation
    from tests.documents.factories import pdf_bytes

    environment = servers.production_node(database_url(BENCH_DB), var_dir, "crunch")
    import sg17_scale
    from sg17_scale import PASSWORD

    # The crunch's delegates: members of the entities of two focal points, not registered yet.
    entities = world.entities[10:12]
    focal_points = []
    for n, entity in enumerate(entities):
        person = User.objects.create_user(f"crunch-focal{n}@example.org", PASSWORD)
        entity.focal_points.add(person)
        focal_points.append(person.email)
    people = []
    for n in range(DELEGATES):
        person = User.objects.create_user(f"crunch{n}@example.org", PASSWORD, given_name=f"Crunch{n}")
        Affiliation.objects.create(user=person, entity=entities[n % 2], state=Affiliation.State.APPROVED)
        people.append((person.email, entities[n % 2].pk))
    User.objects.update(password=production_password_hash(environment))
    # Signing in needs a confirmed address.
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in User.objects.filter(email__startswith="crunch")
        ]
    )
    pdf = pdf_bytes()
    sg17_scale.settle()

    results = Results()
    workers = os.cpu_count() * 2 + 1 if WORKERS == "deploy" else int(WORKERS)
    with servers.gunicorn("sg17portal.wsgi:application", environment=environment, workers=workers) as portal:
        deadline = time.monotonic() + SECONDS
        # Who arrives when: evenly spaced over the ramp, the focal points among the delegates.
        work = [
            (delegate_work, (portal.url, results, email, PASSWORD, world.meeting.pk, entity_pk, deadline, pdf))
            for email, entity_pk in people
        ]
        work[len(work) // 2 : len(work) // 2] = [
            (focal_point_work, (portal.url, results, email, PASSWORD, deadline)) for email in focal_points
        ]
        threads = [
            threading.Thread(target=target, args=(*args, RAMP * n / len(work))) for n, (target, args) in enumerate(work)
        ]
        # The workers' scheduler times at the start, at each window's end and at the end: the run's are the first
        # and the last.
        started, sampler = time.monotonic(), WindowSampler(portal, time.perf_counter())  # the requests' clock
        generator_before, machine_before = os.times(), machine_busy()
        redis_before = redis_commands()
        sampler.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        sampler.stop()
        generator_after, machine_after = os.times(), machine_busy()
        redis_during = redis_commands() - redis_before
        (running_before, queued_before), (running_after, queued_after) = sampler.samples[0], sampler.samples[-1]
        running, queued = running_after - running_before, queued_after - queued_before
        memory = portal.worker_memory_mb()

    total = sum(len(t) for t in results.times.values())
    print(
        f"Deadline crunch: {DELEGATES} delegates and {len(focal_points)} focal points together for {SECONDS} s "
        f"(ran {elapsed:.0f} s), gunicorn {workers} sync workers, production settings, PostgreSQL, Redis; "
        f"{os.cpu_count()} cores shared with the load generator and other work; the delegates arrived over "
        f"{RAMP:.0f} s."
    )
    print(f"{total} requests, {total / elapsed:.1f} per second")
    # The workers' time on a core for each timed request (its untimed form included), and how much of their time
    # they ran rather than waited (for a core, or on PostgreSQL, Redis and the clients). Both move with the
    # machine's speed, as the rates do.
    worker_time = elapsed * workers
    print(
        f"Workers' CPU: {running / total * 1000:.1f} ms per timed request ({running / elapsed:.2f} cores). "
        f"Of the workers' time, {running / worker_time:.0%} on a core, {queued / worker_time:.0%} waiting for one, "
        f"{1 - (running + queued) / worker_time:.0%} waiting on the database, the cache or the clients"
    )
    generator = sum(generator_after[:2]) - sum(generator_before[:2])
    (busy_after, all_after), (busy_before, all_before) = machine_after, machine_before
    print(
        f"The load generator's CPU: {generator / elapsed:.2f} cores. The machine: "
        f"{(busy_after - busy_before) / (all_after - all_before):.0%} busy over the run. Redis: {redis_during} "
        f"commands, {redis_during / total:.1f} per timed request (its untimed form included)\n"
    )
    print("| action | requests | errors | p50 | p95 | p99 |")
    print("|---|---|---|---|---|---|")
    for action, samples in sorted(results.times.items()):
        print(
            f"| {action} | {len(samples)} | {len(results.errors[action])} | {percentile(samples, 0.50):.0f} ms "
            f"| {percentile(samples, 0.95):.0f} ms | {percentile(samples, 0.99):.0f} ms |"
        )
    for action, details in results.errors.items():
        if details:
            common = statistics.mode(details)
            print(f"  {action}: e.g. {common!r} ({details.count(common)} of {len(details)})")
    emails = [email for email, _ in people]
    problems, contributions, registrations, decisions = check_database(world, emails, results)
    print(
        f"\nDatabase: {contributions} contributions, numbered 1..{contributions}; {registrations} registrations of "
        f"the crunch's delegates ({len(results.registered)} confirmed to them); {decisions} decisions; "
        f"{len(results.posted)} postings confirmed."
    )
    print("Checks: " + ("all hold" if not problems else "; ".join(problems)))
    print_windows(results.trace, sampler.started, sampler.samples)
    print("Memory per worker after the run (RSS / PSS / own pages): " + servers.memory_text(memory))


def main():
    os.environ["SECRET_KEY"] = servers.SECRET_KEY
    random.seed(17)
    with throwaway_django(BENCH_DB, keep_redis=True, test_environment=False) as var_dir:
        import sg17_scale

        world = sg17_scale.build()
        run(world, var_dir)


if __name__ == "__main__":
    main()
