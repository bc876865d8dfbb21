"""Benchmark of the agenda app, on a throw-away PostgreSQL database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/agenda_bench.py

Measures, in the server process (request handling with middleware, queries and templates, no network), the
server time and the query count of:
- the published agenda of a meeting with 150 items and 40 linked documents, as a member reads it, and the
  draft editor of the same agenda as the secretariat sees it;
- the published time plan with 120 sessions (member, with a second time zone), its draft and its .ics feed;
- the same pages for a meeting ten times smaller, to show that the query counts do not grow with the rows;
- the home page, as the baseline of a page that does almost nothing;
and, once, publishing the big agenda (with its notices) and rendering its PDF.
"""

import os
import time

from common import throwaway_django, time_requests

BENCH_DB = "sg17_agenda_bench"
RUNS = int(os.environ.get("BENCH_RUNS", "40"))


def build(*, items_top: int, sub_items: int, documents: int, sessions: int, first_day, secretariat, delegates):
    """A meeting with a published agenda (``items_top`` × (1 + ``sub_items``) items, ``documents`` of them
    linking a TD each) and a published time plan of ``sessions`` sessions over ten days."""
    import datetime

    from agenda import services
    from agenda.models import AgendaItem
    from agenda.outline import parse_outline
    from meetings.models import Meeting, Question, StudyGroup, StudyPeriod
    from registration.models import Registration
    from tests.agenda.documents import post_tds

    group = StudyGroup.objects.get(number=17)
    period = StudyPeriod.objects.get(first_year=2025)
    meeting = Meeting.objects.create(
        study_group=group,
        study_period=period,
        first_day=first_day,
        last_day=first_day + datetime.timedelta(days=9),
        state=Meeting.State.ANNOUNCED,
    )
    for user, entity in delegates:
        Registration.objects.create(meeting=meeting, delegate=user, entity=entity, state=Registration.State.APPROVED)
    lines = []
    for n in range(1, items_top + 1):
        lines.append(f"{n}. Agenda item number {n} of the meeting")
        lines += [f"{chr(97 + m)}) Sub-item {m + 1} of item {n}, of ordinary length" for m in range(sub_items)]
    services.import_outline(meeting, revision=0, by=secretariat, outline=parse_outline("\n".join(lines)), replace=False)
    tds = post_tds(meeting, secretariat, documents)
    questions = list(Question.objects.filter(study_group=group))
    items = list(AgendaItem.objects.filter(version__meeting=meeting).order_by("pk"))
    for index, item in enumerate(items):
        item.questions.add(questions[index % len(questions)])
    for item, td in zip(items[:: max(1, len(items) // documents)], tds, strict=False):
        item.documents.add(td)
    uids = [str(item.uid) for item in items[:20]]
    zone = meeting.zone
    for n in range(sessions):
        day = first_day + datetime.timedelta(days=n % 10)
        slot = (n // 10) % 4
        start = datetime.datetime.combine(day, datetime.time(9 + 2 * slot), tzinfo=zone)
        services.add_session(
            meeting,
            revision=n,
            by=secretariat,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            title=f"Q{n % 15 + 1}/17",
            room=f"Room {n // 40}",
            questions=[questions[n % len(questions)]],
            agenda_item_uids=uids[n % 20 : n % 20 + 2],
        )
    services.publish_time_plan(meeting, revision=sessions, by=secretariat)
    return meeting, len(items)


def run() -> None:
    import datetime

    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts.models import User
    from agenda import services
    from agenda.models import AgendaVersion
    from meetings.models import Question, StudyGroup, StudyPeriod
    from registration.models import Affiliation, MemberEntity

    group = StudyGroup.objects.create(number=17, title="Security")
    StudyPeriod.objects.create(first_year=2025, last_year=2028)
    for number in range(1, 16):
        Question.objects.create(study_group=group, number=number, title=f"Question {number}")
    secretariat = User.objects.create_user("secretariat@example.org", "bench", given_name="Sofia")
    secretariat.groups.add(Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP)[0])
    entity = MemberEntity.objects.create(name="Administration", category="administration", country="CH")
    delegates = []
    for n in range(200):
        user = User.objects.create_user(f"delegate{n}@example.org", "bench", time_zone="Asia/Seoul")
        Affiliation.objects.create(user=user, entity=entity, state=Affiliation.State.APPROVED)
        delegates.append((user, entity))
    member = delegates[0][0]

    big, big_items = build(
        items_top=30, sub_items=4, documents=40, sessions=120,
        first_day=datetime.date(2027, 3, 16), secretariat=secretariat, delegates=delegates,
    )  # fmt: skip
    small, small_items = build(
        items_top=3, sub_items=4, documents=4, sessions=12,
        first_day=datetime.date(2027, 9, 7), secretariat=secretariat, delegates=delegates[:5],
    )  # fmt: skip

    started = time.perf_counter()
    services.publish_agenda(big, revision=1, by=secretariat, note="Bench")
    publish_big = time.perf_counter() - started
    services.publish_agenda(small, revision=1, by=secretariat, note="Bench")

    reader, editor = Client(), Client()
    reader.force_login(member)
    editor.force_login(secretariat)
    baseline = time_requests(reader, "/", RUNS)

    print(f"Agenda: {big_items} items, 40 linked TDs; time plan: 120 sessions; 200 approved registrants.")
    print(f"Small meeting for the query counts: {small_items} items, 4 TDs, 12 sessions.\n")
    print(f"{'page':<34} {'server time (big meeting)':<34} {'×home':>6}  queries big / small")
    print(f"{'home page (baseline)':<34} {baseline.summary():<34} {'1.0':>6}  {baseline.queries}")
    pages = [
        ("published agenda (member)", reader, "agenda/"),
        ("draft agenda editor (secretariat)", editor, "agenda/draft/"),
        ("published time plan (member)", reader, "time-plan/"),
        ("draft time plan (secretariat)", editor, "time-plan/draft/"),
        ("time plan .ics (member)", reader, "time-plan.ics"),
    ]
    for label, client, path in pages:
        timing = time_requests(client, f"/meetings/{big.pk}/{path}", RUNS)
        small_timing = time_requests(client, f"/meetings/{small.pk}/{path}", 3)
        ratio = timing.median_ms / baseline.median_ms
        print(f"{label:<34} {timing.summary():<34} {ratio:>6.1f}  {timing.queries} / {small_timing.queries}")

    version = AgendaVersion.objects.get(meeting=big, number=1)
    pdf = time_requests(reader, f"/meetings/{big.pk}/agenda/v{version.number}.pdf", 3)
    print(f"\nagenda PDF, {big_items} items: {pdf.summary()}")
    print(f"publishing the big agenda (copy of {big_items} items, 200 notices queued): {publish_big * 1000:.0f} ms")


def main() -> None:
    with throwaway_django(BENCH_DB):
        run()


if __name__ == "__main__":
    main()
