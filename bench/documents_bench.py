"""Benchmark of the documents app, on a throw-away PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/documents_bench.py

Measures, in the server process (request handling with middleware, queries and templates, no network):
the list of a meeting with 400 contributions and 600 TDs (target: median under 150 ms), the same list
filtered by a full-text search and by a number, and the throughput of concurrent Direct Document Postings
(threads, each with its own connection; the numbers must come out distinct and consecutive).
"""

import os
import threading
import time

from common import throwaway_django, time_requests

BENCH_DB = "sg17_documents_bench"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
POSTINGS_PER_THREAD = int(os.environ.get("BENCH_POSTINGS", "25"))


def make_data():
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from documents.models import Document, Kind, NumberSeries, Scope, TdType
    from meetings.models import Meeting, Question, StudyGroup, StudyPeriod
    from meetings.services import save_meeting
    from registration.models import Affiliation, MemberEntity

    group = StudyGroup.objects.create(number=17, title="Security")
    period = StudyPeriod.objects.create(first_year=2025, last_year=2028)
    first_day = timezone.now().date() + datetime.timedelta(days=90)
    meeting = save_meeting(
        Meeting(
            study_group=group,
            study_period=period,
            first_day=first_day,
            last_day=first_day + datetime.timedelta(days=9),
            state=Meeting.State.ANNOUNCED,
        )
    )
    questions = [Question.objects.create(study_group=group, number=n, title=f"Question {n}") for n in range(1, 16)]
    entities = [
        MemberEntity.objects.create(name=f"Operator {n}", category=MemberEntity.Category.SECTOR_MEMBER, country="CH")
        for n in range(20)
    ]
    member = User.objects.create_user("member@example.org", "bench-password")
    Affiliation.objects.create(user=member, entity=entities[0], state=Affiliation.State.APPROVED)
    Group.objects.get_or_create(name="Secretariat")
    words = ["identity", "trust", "quantum", "network", "security", "cloud", "IoT", "privacy", "biometrics", "PKI"]
    now = timezone.now()
    of_meeting = {"study_group": group, "study_period": period, "meeting": meeting}
    rows = []
    for n in range(1, 401):
        entity = entities[n % len(entities)]
        rows.append(
            Document(
                **of_meeting,
                kind=Kind.CONTRIBUTION,
                number=n,
                title=f"Proposal on {words[n % 10]} and {words[(n * 3) % 10]} for draft Recommendation X.{1000 + n}",
                source=entity.name,
                source_entity=entity,
                abstract=f"This contribution proposes text on {words[(n * 7) % 10]} management.",
                is_late=n % 40 == 0,
                translation_requested=n % 9 == 0,
                latest_revision=n % 3,
                posted_at=now - datetime.timedelta(minutes=n),
                last_revised_at=now - datetime.timedelta(minutes=n),
            )
        )
    for n in range(1, 601):
        rows.append(
            Document(
                **of_meeting,
                kind=Kind.TD,
                td_type=[TdType.GENERAL, TdType.LIAISON_INCOMING, TdType.REPORT][n % 3],
                scope=[Scope.PLEN, Scope.GEN, Scope.WP1, Scope.WP2][n % 4],
                number=n,
                title=f"Report of the {words[n % 10]} rapporteur group meeting {n}",
                source=f"Rapporteur Q{n % 15 + 1}/17",
                latest_revision=n % 2,
                posted_at=now - datetime.timedelta(minutes=n),
                last_revised_at=now - datetime.timedelta(minutes=n),
            )
        )
    documents = Document.objects.bulk_create(rows)
    through = Document.questions.through
    links = {(d.pk, questions[i % 15].pk) for i, d in enumerate(documents)}
    links |= {(d.pk, questions[(i * 7) % 15].pk) for i, d in enumerate(documents)}
    through.objects.bulk_create([through(document_id=d, question_id=q) for d, q in links])
    # The series continue after the documents made in bulk, as if they had been posted one by one.
    for kind, last in ((Kind.CONTRIBUTION, 400), (Kind.TD, 600)):
        NumberSeries.objects.create(study_group=group, study_period=period, kind=kind, last_number=last)
    return meeting, member, entities


def bench_postings(meeting, entities) -> tuple[float, int]:
    from django.core.files.base import ContentFile
    from django.db import connection

    from accounts.models import User
    from documents import services
    from documents.models import Document, Kind
    from registration.models import Affiliation

    people = []
    for t in range(THREADS):
        person = User.objects.create_user(f"poster{t}@example.org", "bench-password")
        Affiliation.objects.create(user=person, entity=entities[t % len(entities)], state=Affiliation.State.APPROVED)
        people.append(person)
    before = Document.objects.filter(kind=Kind.CONTRIBUTION).count()
    barrier = threading.Barrier(THREADS + 1)
    errors = []

    def work(person, entity):
        try:
            barrier.wait()
            for i in range(POSTINGS_PER_THREAD):
                services.post_contribution(
                    meeting,
                    entity=entity,
                    title=f"Bench posting {i} by {person.email}",
                    files=[ContentFile(b"Proposed text.\n" * 200, name="c.txt")],
                    by=person,
                )
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(person, entities[t % len(entities)])) for t, person in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    total = THREADS * POSTINGS_PER_THREAD
    numbers = sorted(Document.objects.filter(kind=Kind.CONTRIBUTION).values_list("number", flat=True))
    assert errors == [], errors[:3]
    assert numbers == list(range(1, before + total + 1)), "numbers are not consecutive"
    return total / elapsed, total


def main():
    with throwaway_django(BENCH_DB):
        from django.test import Client

        meeting, member, entities = make_data()
        client = Client()
        client.force_login(member)
        base = f"/meetings/{meeting.pk}"
        print(f"Documents benchmark: {RUNS} requests each, median / 95th percentile of server time")
        for label, url in [
            ("home page (baseline)", "/"),
            ("list, 400 C + 600 TD", f"{base}/documents/"),
            ("contributions list (400)", f"{base}/contributions/"),
            ("TD list (600)", f"{base}/tds/"),
            ("search 'identity management'", f"{base}/documents/?q=identity+management"),
            ("search by number 'C 123'", f"{base}/documents/?q=C+123"),
            ("filter Question + sort by date", f"{base}/documents/?question=1&sort=-date"),
        ]:
            timing = time_requests(client, url, RUNS, warmups=3)
            context = timing.response.context
            shown = f"{len(context['rows']):5d} rows" if context and "rows" in context else "          "
            print(f"  {label:34s} {shown}  median {timing.median_ms:7.1f} ms   p95 {timing.p95_ms:7.1f} ms")
        rate, total = bench_postings(meeting, entities)
        print(f"  concurrent postings: {total} by {THREADS} threads, {rate:.1f} postings/s, numbers consecutive")


if __name__ == "__main__":
    main()
