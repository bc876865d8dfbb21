"""The portal as a visitor gets it: production settings, gunicorn with 2 sync workers, PostgreSQL, Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/4 \
        .venv/bin/python bench/http_bench.py

Builds SG17-scale data (``sg17_scale``) in a database of its own, serves the portal and a hello-world Django view
(``hello_wsgi``) the same way, and runs ``wrk -t2 -c10`` against each page of the table, interleaved with the
hello-world view, for BENCH_ROUNDS rounds of BENCH_SECONDS each (defaults 3 and 5). Prints, per page, the median
over the rounds of req/s, the ratio to the hello-world view's req/s of the same round, the median latency, the
size of the HTML and the status; then the resident memory of each web worker after the run.

Figures depend on the machine and on what else runs on it: compare the ratios, measured side by side.
"""

import gzip
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

import servers
from common import ROOT, database_url, throwaway_django

BENCH_DB = os.environ.get("BENCH_DB", "sg17_http_bench")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))


@dataclass
class Page:
    label: str
    path: str
    role: str  # "anonymous" or the name of a signed-in person of the world
    rates: list = field(default_factory=list)
    cpu_ms: list = field(default_factory=list)
    ratios: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    size: int = 0
    status: int = 0


def pages(world) -> list[Page]:
    m = f"/meetings/{world.meeting.pk}"
    return [
        Page("home", "/", "anonymous"),
        Page("meeting page", f"{m}/", "anonymous"),
        Page("collective letter page", f"{m}/letter/", "anonymous"),
        Page("agenda (published)", f"{m}/agenda/", "anonymous"),
        Page("time plan (published)", f"{m}/time-plan/", "anonymous"),
        Page("agenda (published)", f"{m}/agenda/", "member"),
        Page("time plan (published)", f"{m}/time-plan/", "member"),
        Page("registration form", f"{m}/register/", "member"),
        Page("documents of the meeting (1,000)", f"{m}/documents/", "member"),
        Page("focal-point queue (500 pending)", "/registration/queue/", "focal_point"),
        Page("secretariat registrations (2,004)", f"{m}/registrations/", "secretariat"),
        Page("agenda editor (150 items)", f"{m}/agenda/draft/", "secretariat"),
    ]


def production_password_hash(environment: dict, hasher: str = "default") -> str:
    """The benchmark password hashed by the production settings' hasher (the benchmark process has the test's),
    or by the production hasher named ``hasher``."""
    code = (
        "from django.contrib.auth.hashers import make_password; "
        f"print(make_password({servers_password()!r}, hasher={hasher!r}))"
    )
    return production_shell(environment, code)


def production_shell(environment: dict, code: str) -> str:
    """The last line ``code`` prints, run by ``manage.py shell`` with the environment of a production node."""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def servers_password() -> str:
    from sg17_scale import PASSWORD

    return PASSWORD


def session_cookie(user) -> str:
    """A signed-in session of ``user``, as the ``Cookie`` header a browser would send."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def fetch(url: str, cookie: str | None) -> tuple[int, bytes]:
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def median(values) -> float:
    """The median of the rounds that measured something (a round may end before any answer came)."""
    finite = [v for v in values if v == v]
    return statistics.median(finite) if finite else float("nan")


def wrk(url: str, cookie: str | None, server) -> tuple[float, float, int, float]:
    """req/s, median latency in ms, the count of non-2xx/3xx answers of one wrk run, and the server's CPU time
    per request in ms (which the other work on a shared machine changes much less than the rates)."""
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{SECONDS}s",
        "--timeout",
        "30s",
        "--latency",
        "-H",
        "X-Forwarded-Proto: https",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    cpu_before = server.cpu_seconds()
    out = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    cpu = server.cpu_seconds() - cpu_before
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"\s50%\s+([\d.]+)(us|ms|s)\b", out).groups()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    cpu_ms = cpu * 1000 / requests if requests else float("nan")
    return rate, float(value) * _UNITS[unit], int(errors.group(1)) if errors else 0, cpu_ms


def static_headers(portal) -> str:
    """How the portal serves its own stylesheet: compression and caching headers."""
    page = urllib.request.urlopen(
        urllib.request.Request(portal.url + "/", headers={"X-Forwarded-Proto": "https"}), timeout=120
    ).read()
    found = re.search(rb'href="(/static/[^"]+\.css)"', page)
    if found is None:
        return "no stylesheet linked from the home page"
    request = urllib.request.Request(
        portal.url + found.group(1).decode(), headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "br, gzip"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        body = response.read()
        return (
            f"{found.group(1).decode()}: Content-Encoding {response.headers.get('Content-Encoding')}, "
            f"{len(body)} bytes, Cache-Control {response.headers.get('Cache-Control')}"
        )


def cold_page_weight(portal, path: str) -> str:
    """What a first visit to ``path`` downloads, compressed: the HTML gzipped as nginx sends it (deploy/nginx.conf:
    gzip level 5) and every stylesheet, script and icon the page links, as the portal serves them to a browser
    that accepts gzip (the encoding nginx's gzip_static serves; brotli would be smaller)."""
    headers = {"X-Forwarded-Proto": "https"}
    html = urllib.request.urlopen(urllib.request.Request(portal.url + path, headers=headers), timeout=120).read()
    parts = [("HTML", len(gzip.compress(html, compresslevel=5)), len(html))]
    for asset in dict.fromkeys(re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)):
        request = urllib.request.Request(portal.url + asset.decode(), headers={**headers, "Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read()
            plain = len(gzip.decompress(body)) if response.headers.get("Content-Encoding") == "gzip" else len(body)
            parts.append((asset.decode().rsplit("/", 1)[-1], len(body), plain))
    total = sum(sent for _name, sent, _plain in parts)
    detail = ", ".join(f"{name} {sent / 1024:.1f} KB" for name, sent, _plain in parts)
    return f"{total / 1024:.0f} KB compressed ({sum(p for *_, p in parts) / 1024:.0f} KB uncompressed): {detail}"


def sign_in_times(portal, emails: list[str], *, at_once: int = 10) -> list[float]:
    """Seconds each sign-in took (the POST of the login form) with ``at_once`` people signing in at the same
    time, each of ``emails`` once."""
    import threading

    import requests

    times, lock = [], threading.Lock()
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def sign_in(batch):
        for email in batch:
            session = requests.Session()
            session.headers.update({"X-Forwarded-Proto": "https", "Origin": portal.url.replace("http:", "https:")})
            referer = {"Referer": portal.url.replace("http:", "https:") + "/accounts/login/"}
            form = session.get(portal.url + "/accounts/login/", headers=referer, timeout=60)
            for cookie in session.cookies:
                cookie.secure = False
            started = time.perf_counter()
            answer = session.post(
                portal.url + "/accounts/login/",
                data={
                    "login": email,
                    "password": servers_password(),
                    "csrfmiddlewaretoken": token.search(form.text)[1],
                },
                headers=referer,
                allow_redirects=False,
                timeout=60,
            )
            elapsed = time.perf_counter() - started
            if answer.status_code != 302 or "/accounts/" in answer.headers.get("Location", ""):
                raise RuntimeError(f"sign-in of {email} failed: {answer.status_code}")
            with lock:
                times.append(elapsed)

    threads = [threading.Thread(target=sign_in, args=(emails[n::at_once],)) for n in range(at_once)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def timed_fetch(url: str) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    status, body = fetch(url, None)
    return time.perf_counter() - started, status, body


def render_issued_letter(environment: dict, meeting_pk: int) -> str:
    """Does what a worker does when the letter is issued (``meetings.render_issued_pdfs``): renders its PDF in every
    language into storage, in a process with the production settings; returns how long that took."""
    code = (
        "import time; started = time.perf_counter(); import weasyprint; loaded = time.perf_counter() - started; "
        "from meetings.models import LetterIssue; from meetings.pdf import store_issued_pdfs; "
        f"kept = LetterIssue.objects.get(meeting_id={meeting_pk}, number=0); "
        "started = time.perf_counter(); count = store_issued_pdfs(kept.pk); spent = time.perf_counter() - started; "
        "print(f'{count} languages in {spent:.1f} s ({spent / max(count, 1) * 1000:.0f} ms each, fonts and layout; "
        "loading WeasyPrint before: {loaded * 1000:.0f} ms)')"
    )
    return production_shell(environment, code)


def run(world, var_dir) -> None:
    import sg17_scale

    from accounts.models import User

    environment = servers.production_node(database_url(BENCH_DB), var_dir, "http-bench")
    User.objects.update(password=production_password_hash(environment))
    from allauth.account.models import EmailAddress

    signing_in = [f"delegate{n}@example.org" for n in range(1000, 1040)]
    # Half of them still with a password of Django's default hasher, PBKDF2 (rehashed at their sign-in).
    older = signing_in[20:]
    User.objects.filter(email__in=older).update(password=production_password_hash(environment, "pbkdf2_sha256"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in User.objects.filter(email__in=signing_in)
        ]
    )
    for person in (world.member, world.focal_point, world.secretariat):
        person.refresh_from_db()
    cookies = {
        "anonymous": None,
        "member": session_cookie(world.member),
        "focal_point": session_cookie(world.focal_point),
        "secretariat": session_cookie(world.secretariat),
    }
    table = pages(world)
    issued = render_issued_letter(environment, world.meeting.pk)
    sg17_scale.settle()
    with (
        servers.gunicorn("sg17portal.wsgi:application", environment=environment) as portal,
        servers.gunicorn("hello_wsgi:application", environment=dict(os.environ), chdir=ROOT / "bench") as hello,
    ):
        memory_at_start = portal.worker_memory_mb()
        letter_pdf = f"{portal.url}/meetings/{world.meeting.pk}/letter.pdf"
        first_pdf = timed_fetch(letter_pdf)
        # Then from storage (or the cache), once more in each worker before the five that are timed.
        again = [timed_fetch(letter_pdf) for _ in range(7)][2:]
        for page in table:
            page.status, body = fetch(portal.url + page.path, cookies[page.role])
            page.size = len(body)
        hello_rates, hello_latencies, hello_cpu = [], [], []
        for _ in range(ROUNDS):
            for page in table:
                hello_rate, hello_latency, _, cpu_ms = wrk(hello.url + "/", None, hello)
                hello_rates.append(hello_rate)
                hello_latencies.append(hello_latency)
                hello_cpu.append(cpu_ms)
                rate, latency, errors, cpu_ms = wrk(portal.url + page.path, cookies[page.role], portal)
                page.cpu_ms.append(cpu_ms)
                if errors:
                    page.status = f"{page.status}, {errors} errors"
                page.rates.append(rate)
                page.ratios.append(rate / hello_rate)
                page.latencies.append(latency)
        try:
            static = static_headers(portal)
            weight = cold_page_weight(portal, f"/meetings/{world.meeting.pk}/")
        except OSError as error:
            static = weight = f"not measured: {error!r}"
        signed_in = sorted(sign_in_times(portal, signing_in[:20]))
        signed_in_older = sorted(sign_in_times(portal, older))
        memory = portal.worker_memory_mb()
        hello_memory = hello.worker_memory_mb()

    print(
        f"HTTP benchmark: wrk -t2 -c{CONNECTIONS}, {ROUNDS} rounds of {SECONDS} s per page, each page run right after"
        f" the hello-world view; gunicorn 2 sync workers each, production settings, PostgreSQL, Redis cache;"
        f" {os.cpu_count()} cores shared with other work. Medians over the rounds."
    )
    print(
        f"hello-world view: {statistics.median(hello_rates):,.0f} req/s "
        f"(range {min(hello_rates):,.0f}–{max(hello_rates):,.0f}), median latency "
        f"{statistics.median(hello_latencies):.2f} ms, {median(hello_cpu):.2f} ms of worker CPU per request"
    )
    print()
    print(
        "| page | as | portal req/s | ratio to hello-world | median latency | worker CPU per request | HTML | status |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for page in table:
        print(
            f"| {page.label} | {page.role.replace('_', ' ')} | {statistics.median(page.rates):,.1f} "
            f"| {statistics.median(page.ratios) * 100:.1f} % | {statistics.median(page.latencies):.1f} ms "
            f"| {median(page.cpu_ms):.1f} ms "
            f"| {page.size / 1024:.0f} KB | {page.status} |"
        )
    print()
    for label, sizes in (("before the first request", memory_at_start), ("after the run", memory)):
        print(f"Memory per portal worker {label} (RSS / PSS / own pages): " + servers.memory_text(sizes))
    print(f"A static file (as a browser asks for it): {static}")
    print(f"Meeting page, cold load (anonymous): {weight}")
    print(f"Collective letter PDF rendered by a worker when issued: {issued}")
    print(
        f"Collective letter PDF (as issued): first request {first_pdf[0] * 1000:.0f} ms ({first_pdf[1]}, "
        f"{len(first_pdf[2]) / 1024:.0f} KB), then median {statistics.median(t for t, *_ in again) * 1000:.0f} ms "
        f"({', '.join(sorted({str(status) for _t, status, _b in again}))})"
    )
    for label, times in (("the production hasher", signed_in), ("PBKDF2 (Django's default)", signed_in_older)):
        print(
            f"Sign-in with {label}, {len(times)} people 10 at a time: median {statistics.median(times) * 1000:.0f} ms,"
            f" p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
        )
    print(f"Memory per hello-world worker (RSS / PSS / own pages): {servers.memory_text(hello_memory)}")


def main() -> None:
    os.environ["SECRET_KEY"] = servers.SECRET_KEY
    with throwaway_django(BENCH_DB, keep_redis=True, test_environment=False) as var_dir:
        import sg17_scale

        started = time.perf_counter()
        world = sg17_scale.build()
        print(f"SG17-scale data built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        run(world, var_dir)


if __name__ == "__main__":
    main()
