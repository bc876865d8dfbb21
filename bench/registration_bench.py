"""Registration benchmark: a focal point approving 500 registrations in bulk, and the secretariat's list of
2,000 registrations.

Runs on a throw-away PostgreSQL database created next to DATABASE_URL's (dropped at the end):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sg17portal .venv/bin/python bench/registration_bench.py

Figures are wall-clock times inside this process (no network): for the bulk approval, the whole request
through the queue view (authorization, service, 500 history rows, affiliations and 500 outbox rows, commit)
and the service alone; for the list, the server time of the first page with its statistics.
"""

import os
import statistics
import time

from common import throwaway_django, time_requests

BENCH_DB = f"sg17_bench_registration_{os.getpid()}"


def make_people(count, prefix):
    from accounts.models import User

    users = [
        User(
            email=f"{prefix}{i}@example.org",
            given_name=f"Given{i}",
            family_name=f"Family{i:05d}",
            gender=User.Gender.FEMALE if i % 3 == 0 else User.Gender.MALE,
            password="!",
        )
        for i in range(count)
    ]
    return User.objects.bulk_create(users)


def make_world():
    import datetime

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from meetings.models import Meeting, StudyGroup, StudyPeriod
    from meetings.services import sync_key_deadlines
    from registration.models import MemberEntity

    group = StudyGroup.objects.create(number=17, title="Security")
    period = StudyPeriod.objects.create(first_year=2025, last_year=2028)
    first_day = timezone.localdate() + datetime.timedelta(days=90)
    meeting = Meeting.objects.create(
        study_group=group,
        study_period=period,
        format=Meeting.Format.HYBRID,
        first_day=first_day,
        last_day=first_day + datetime.timedelta(days=9),
        state=Meeting.State.ANNOUNCED,
        join_details="MyMeetings: https://mymeetings.example.org/sg17 (meeting ID 2026 17)",
    )
    sync_key_deadlines(meeting)
    categories = MemberEntity.Category.values
    countries = ["CH", "KR", "DE", "NG", "US", "CN", "FR", "BR", "IN", "JP"]
    entities = MemberEntity.objects.bulk_create(
        [
            MemberEntity(
                name=f"Entity {i:03d}",
                category=categories[i % 4],
                country=countries[i % len(countries)],
                associate_of=group if categories[i % 4] == "associate" else None,
            )
            for i in range(60)
        ]
    )
    (focal_point,) = make_people(1, "focal")
    entities[0].focal_points.add(focal_point)
    (secretariat,) = make_people(1, "secretariat")
    secretariat.groups.add(Group.objects.get_or_create(name="Secretariat")[0])
    return meeting, entities, focal_point, secretariat


def pending_registrations(meeting, entity, count, prefix):
    from registration.models import Registration

    people = make_people(count, prefix)
    rows = Registration.objects.bulk_create([Registration(meeting=meeting, delegate=p, entity=entity) for p in people])
    return [r.pk for r in rows]


def bench_bulk_approval(meeting, entity, focal_point):
    from django.test import Client
    from django.urls import reverse

    from notifications.models import OutgoingMail
    from registration import services
    from registration.models import Registration

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(focal_point)
    view_times, service_times = [], []
    for run in range(3):
        ids = pending_registrations(meeting, entity, 500, f"view{run}-")
        start = time.perf_counter()
        response = client.post(reverse("registration:queue"), {"registration": ids, "action": "approve"})
        view_times.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
        assert Registration.objects.filter(pk__in=ids, state="approved").count() == 500
        ids = pending_registrations(meeting, entity, 500, f"service{run}-")
        start = time.perf_counter()
        services.approve_registrations(ids, by=focal_point)
        service_times.append(time.perf_counter() - start)
    mails = OutgoingMail.objects.filter(dedupe_key__endswith=":approved").count()
    assert mails == 3000, mails
    print("Bulk approval of 500 pending registrations by a focal point (3 runs each):")
    print(f"  through the queue view: median {statistics.median(view_times):.3f} s, best {min(view_times):.3f} s")
    print(f"  service alone:          median {statistics.median(service_times):.3f} s, best {min(service_times):.3f} s")
    print("  (each includes 500 history rows, affiliations confirmed, 500 outbox rows, and the commit)")


def bench_secretariat_list(meeting, entities, secretariat):
    import random

    from django.test import Client
    from django.urls import reverse

    from registration.models import Registration

    random.seed(17)
    states = ["pending", "approved", "approved", "approved", "rejected", "cancelled"]
    people = make_people(2000, "listed")
    Registration.objects.filter(meeting=meeting).delete()
    Registration.objects.bulk_create(
        [
            Registration(
                meeting=meeting,
                delegate=p,
                entity=random.choice(entities),
                state=random.choice(states),
                participation=random.choice(["remote", "in_person"]),
            )
            for p in people
        ]
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(secretariat)
    url = reverse("registration:meeting_registrations", args=[meeting.pk])
    print(f"Secretariat's list of {Registration.objects.filter(meeting=meeting).count()} registrations:")
    for label, params in [
        ("first page (100 rows) with statistics", {}),
        ("filtered (approved, in person)", {"state": "approved", "participation": "in_person"}),
    ]:
        timing = time_requests(client, url, 10, params=params)
        print(f"  {label}: median {timing.median_ms:.0f} ms, best {timing.best_ms:.0f} ms, {timing.queries} queries")
    csv_url = reverse("registration:meeting_csv", args=[meeting.pk])
    start = time.perf_counter()
    body = b"".join(client.get(csv_url).streaming_content)
    lines = body.count(b"\n")
    print(f"  CSV export of all rows: {(time.perf_counter() - start) * 1000:.0f} ms ({lines} lines)")
    # The request only queues the job; the rendering is what a worker does with it (see topology_bench.py).
    from registration.pdf import render_participants

    start = time.perf_counter()
    pdf = render_participants(meeting)
    print(f"  list of participants PDF (worker's render): {time.perf_counter() - start:.2f} s ({len(pdf) // 1024} KiB)")


def main():
    # No setup_test_environment: requests go through as they would on a server (hence the host 127.0.0.1).
    with throwaway_django(BENCH_DB, test_environment=False):
        meeting, entities, focal_point, secretariat = make_world()
        bench_bulk_approval(meeting, entities[0], focal_point)
        bench_secretariat_list(meeting, entities, secretariat)


if __name__ == "__main__":
    main()
