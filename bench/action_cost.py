"""What each action of the crunch costs the machine, one request at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/4 \
        .venv/bin/python bench/action_cost.py

On SG17-scale data (``sg17_scale``), the portal runs with production settings on gunicorn with one sync worker.
One delegate signs in and registers, then asks for each of the crunch's actions ACTION_COST_REQUESTS times in a
row (default 200; ACTION_COST_ACTIONS picks some, by name, comma-separated), in two rounds. For each it prints, per
request: the time it took, the CPU time of the worker, of PostgreSQL's processes and of Redis, and the commands
Redis processed. A posting's figures include the form read before it, as a delegate (and the crunch) reads it,
and an approval's the focal point's queue page, its form. The arrival's actions each need someone new: a sign-in
is a new session (the login form included), a registration a new member's (signed in beforehand, not counted), an
approval that of a registration made beforehand.

In ``crunch.py`` the requests share two cores and wait for one another: its figures move with the machine's
swings and with the queue. These, taken one at a time, move far less: the instrument for a change's effect on a
single action (read from ``/proc`` in ticks of 10 ms, hence the many requests).
"""

import os
import random
import time
import uuid
from pathlib import Path

import redis
import servers
from common import database_url, throwaway_django
from crunch import Results, Visitor
from http_bench import production_password_hash

BENCH_DB = os.environ.get("BENCH_DB", "sg17_action_cost")
REQUESTS = int(os.environ.get("ACTION_COST_REQUESTS", "200"))
ACTIONS = (
    "meeting page",
    "documents list",
    "agenda",
    "contribution form",
    "post contribution",
    "post revision",
    # The arrival: done once per delegate in a crunch's first seconds. Each sign-in is a new session of the same
    # person; each registration is a new member's, signed in beforehand; each approval is of a registration made
    # beforehand, by the entity's focal point, with the queue page read before it as its form.
    "sign in",
    "register",
    "focal-point queue",
    "approve",
)
# The requests before each measurement, not counted: the action's own entries kept, its templates compiled.
WARM_UP = 5
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid) -> float | None:
    """The CPU time (user and system) process ``pid`` has used; None for a process that is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def processes(command_prefix: bytes) -> list[str]:
    """The processes whose command line starts with ``command_prefix``."""
    found = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if path.read_bytes().startswith(command_prefix):
                found.append(path.parent.name)
        except OSError:
            continue
    return found


def cpu_of(pids) -> dict[str, float]:
    """The CPU time of each of the processes ``pids`` that still runs."""
    return {pid: seconds for pid in pids if (seconds := cpu_seconds(pid)) is not None}


def used(before: dict, after: dict) -> float:
    """The CPU time used between two readings of ``cpu_of``: by the processes alive at both, and all of that of
    those started since (a PostgreSQL backend for a new connection). One that ended meanwhile took its time with
    it, and is left out."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def measure(action, redis_client, worker_pid) -> str:
    for _ in range(WARM_UP):
        action()
    postgres, redis_server = processes(b"postgres:"), processes(b"redis-server")
    before = (
        cpu_of([worker_pid]),
        cpu_of(postgres),
        cpu_of(redis_server),
        redis_client.info("stats")["total_commands_processed"],
        time.perf_counter(),
    )
    for _ in range(REQUESTS):
        action()
    after = (
        cpu_of([worker_pid]),
        cpu_of(processes(b"postgres:")),
        cpu_of(processes(b"redis-server")),
        redis_client.info("stats")["total_commands_processed"] - 1,  # the INFO before
        time.perf_counter(),
    )
    worker, database, cache = (used(b, a) / REQUESTS for b, a in zip(before[:3], after[:3], strict=True))
    commands, wall = ((a - b) / REQUESTS for b, a in zip(before[3:], after[3:], strict=True))
    return (
        f"{wall * 1000:.2f} ms | {worker * 1000:.2f} ms | {database * 1000:.2f} ms | {cache * 1000:.2f} ms | "
        f"{commands:.1f}"
    )


def members(entity, names, password_hash):
    """New people, confirmed members of ``entity``, who can sign in with the benchmark's password (its hash by the
    production settings' hasher: ``password_hash``), one per name (their address's local part)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from registration.models import Affiliation

    people = User.objects.bulk_create(
        User(email=f"{name}@example.org", given_name=name.title(), family_name="Cost", password=password_hash)
        for name in names
    )
    Affiliation.objects.bulk_create(
        Affiliation(user=p, entity=entity, state=Affiliation.State.APPROVED) for p in people
    )
    EmailAddress.objects.bulk_create(EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people)
    return people


def run(world, var_dir):
    from sg17_scale import PASSWORD

    from registration.models import Registration
    from tests.documents.factories import pdf_bytes

    environment = servers.production_node(database_url(BENCH_DB), var_dir, "action-cost")
    # Every sign-in here comes from one address, hundreds a minute: what is measured is their cost, not the limit.
    environment["LOGIN_RATE_LIMIT"] = "100000/m/ip"
    wanted = [name.strip() for name in os.environ.get("ACTION_COST_ACTIONS", ",".join(ACTIONS)).split(",")]
    entity = world.entities[10]
    hashed = production_password_hash(environment)
    (person, focal_point) = members(entity, ["cost", "cost-focal"], hashed)
    entity.focal_points.add(focal_point)
    arrivals = 2 * (WARM_UP + REQUESTS)  # two rounds, each with its warm-up
    newcomers = members(entity, [f"cost-newcomer{n}" for n in range(arrivals)], hashed) if "register" in wanted else []
    pending = (
        Registration.objects.bulk_create(
            Registration(meeting=world.meeting, delegate=member, entity=entity, participation="remote")
            for member in members(entity, [f"cost-pending{n}" for n in range(arrivals)], hashed)
        )
        if "approve" in wanted
        else []
    )
    pdf = pdf_bytes()
    import sg17_scale

    sg17_scale.settle()
    results = Results()
    with servers.gunicorn("sg17portal.wsgi:application", environment=environment, workers=1) as portal:
        (worker_pid,) = portal.worker_pids()
        visitor, focal = Visitor(portal.url, results), Visitor(portal.url, results)
        m = f"/meetings/{world.meeting.pk}"
        if visitor.sign_in(person.email, PASSWORD) is None or focal.sign_in(focal_point.email, PASSWORD) is None:
            raise SystemExit("The delegate or the focal point could not sign in.")
        visitor.post("register", f"{m}/register/", {"entity": entity.pk, "participation": "remote"})
        # The newcomers sign in now, before anything is measured: "register" counts their registration alone.
        waiting = []
        for newcomer in newcomers:
            waiting.append(Visitor(portal.url, results))
            if waiting[-1].sign_in(newcomer.email, PASSWORD) is None:
                raise SystemExit(f"{newcomer.email} could not sign in.")
        registering, deciding = iter(waiting), iter(pending)

        def post_contribution():
            return visitor.post(
                "post contribution",
                f"{m}/contributions/new/",
                {"entity": entity.pk, "title": f"Cost of a proposal {uuid.uuid4().hex[:8]}"},
                files={"files": ("proposal.pdf", pdf, "application/pdf")},
            )

        own = post_contribution().headers["location"]
        actions = {
            "meeting page": lambda: visitor.get("meeting page", f"{m}/"),
            "documents list": lambda: visitor.get("documents list", f"{m}/documents/"),
            "agenda": lambda: visitor.get("agenda", f"{m}/agenda/"),
            "contribution form": lambda: visitor.get("contribution form", f"{m}/contributions/new/"),
            "post contribution": post_contribution,
            "post revision": lambda: visitor.post(
                "post revision",
                f"{own}revise/",
                {"note": "Updated text"},
                files={"files": ("proposal.pdf", pdf, "application/pdf")},
            ),
            "sign in": lambda: Visitor(portal.url, results).sign_in(person.email, PASSWORD),
            "register": lambda: next(registering).post(
                "register", f"{m}/register/", {"entity": entity.pk, "participation": "remote"}
            ),
            "focal-point queue": lambda: focal.get("focal-point queue", "/registration/queue/"),
            "approve": lambda: focal.post(
                "approve",
                f"/registration/{next(deciding).pk}/approve/",
                {"next": "/registration/queue/"},
                form_path="/registration/queue/",
            ),
        }
        redis_client = redis.Redis.from_url(os.environ["REDIS_URL"])
        print(
            f"Each action {REQUESTS} times in a row, one request at a time, gunicorn 1 sync worker, production "
            "settings, PostgreSQL, Redis; per request:\n"
        )
        print("| round | action | time | worker's CPU | PostgreSQL's CPU | Redis's CPU | Redis commands |")
        print("|---|---|---|---|---|---|---|")
        for round_number in (1, 2):
            for name in wanted:
                print(f"| {round_number} | {name} | {measure(actions[name], redis_client, worker_pid)} |", flush=True)
    errors = {action: len(details) for action, details in results.errors.items() if details}
    print(f"\nErrors: {errors or 'none'}")


def main():
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("Set REDIS_URL: the portal is measured on Redis, as it runs in production.")
    os.environ["SECRET_KEY"] = servers.SECRET_KEY
    random.seed(17)
    with throwaway_django(BENCH_DB, keep_redis=True, test_environment=False) as var_dir:
        import sg17_scale

        run(sg17_scale.build(), var_dir)


if __name__ == "__main__":
    main()
