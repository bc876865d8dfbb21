"""SG17-scale data for the benchmarks that measure the portal through a real server (``http_bench``, ``crunch``).

On the upcoming meeting of the demo data (its collective letter announced and kept as issued): 100 member
entities, 2,004 registrations (500 of them pending for the focal point's own entity), 1,000 documents (400
contributions and 600 TDs) with 246 revisions, a published agenda of 150 items and a published time plan of 60
sessions.
Rows that no workflow is measured on are written in bulk; agenda and time plan go through their services.
"""

import datetime
import random
from dataclasses import dataclass

PASSWORD = "bench-password-2026"


@dataclass
class World:
    meeting: object
    secretariat: object
    focal_point: object  # of entities[0], with 500 pending registrations to decide
    member: object  # approved affiliation, not registered: the registration form is open to him
    entities: list
    questions: list


def _people(prefix: str, count: int, *, password_hash: str = "!"):
    from accounts.models import User

    return User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{n}@example.org",
                given_name=f"Given{n}",
                family_name=f"Family{n:05d}",
                gender=User.Gender.FEMALE if n % 3 == 0 else User.Gender.MALE,
                password=password_hash,
            )
            for n in range(count)
        ]
    )


def settle() -> None:
    """Vacuums and analyzes the database, as autovacuum has long done to a portal's database in use.

    Rows just written in bulk have no statistics (PostgreSQL plans blind), no visibility map (no index-only scan)
    and no hint bits (the first reader of each page writes it back). In the crunch, that made the first 25 seconds
    run at half the steady rate; pgbench vacuums after loading its data for the same reason."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def build() -> World:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.demo import load as load_accounts
    from accounts.models import User
    from agenda import services as agenda
    from agenda.models import AgendaItem
    from agenda.outline import parse_outline
    from documents.models import Document, Kind, NumberSeries, Revision, Scope, TdType
    from meetings.demo import load as load_meetings
    from meetings.models import Meeting, Question
    from meetings.services import keep_issued_letter
    from registration.models import Affiliation, MemberEntity, Registration

    random.seed(17)
    load_accounts()
    load_meetings()
    meeting = Meeting.objects.filter(state=Meeting.State.ANNOUNCED).order_by("-first_day").first()
    group, period = meeting.study_group, meeting.study_period
    questions = list(Question.objects.filter(study_group=group).order_by("number"))

    secretariat = User.objects.create_user("bench-secretariat@example.org", PASSWORD, given_name="Sofia")
    secretariat.groups.add(Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP)[0])
    categories = [c for c in MemberEntity.Category.values if c != "associate"]
    entities = MemberEntity.objects.bulk_create(
        [
            MemberEntity(name=f"Entity {n:03d}", category=categories[n % len(categories)], country="CH")
            for n in range(100)
        ]
    )
    focal_point = User.objects.create_user("bench-focal@example.org", PASSWORD, given_name="Farah")
    entities[0].focal_points.add(focal_point)
    Affiliation.objects.create(user=focal_point, entity=entities[0], state=Affiliation.State.APPROVED)
    member = User.objects.create_user("bench-member@example.org", PASSWORD, given_name="Mika")
    Affiliation.objects.create(user=member, entity=entities[1], state=Affiliation.State.APPROVED)

    # 2,004 registrations: 500 pending for entities[0], the rest spread over the others in every state.
    hashed = make_password(PASSWORD)
    people = _people("delegate", 2004, password_hash=hashed)
    Affiliation.objects.bulk_create(
        [
            Affiliation(user=p, entity=entities[0] if n < 500 else entities[n % 99 + 1], state="approved")
            for n, p in enumerate(people)
        ]
    )
    states = ["approved", "approved", "approved", "pending", "rejected", "cancelled"]
    Registration.objects.bulk_create(
        [
            Registration(
                meeting=meeting,
                delegate=p,
                entity=entities[0] if n < 500 else entities[n % 99 + 1],
                state="pending" if n < 500 else random.choice(states),
                participation=random.choice(["remote", "in_person"]),
            )
            for n, p in enumerate(people)
        ]
    )

    # 1,000 documents: 400 contributions and 600 TDs, 246 of them revised once.
    words = ["identity", "trust", "quantum", "network", "security", "cloud", "IoT", "privacy", "biometrics", "PKI"]
    now = timezone.now()
    of_meeting = {"study_group": group, "study_period": period, "meeting": meeting}
    rows = []
    for n in range(1, 401):
        entity = entities[n % 100]
        rows.append(
            Document(
                **of_meeting,
                kind=Kind.CONTRIBUTION,
                number=n,
                title=f"Proposal on {words[n % 10]} and {words[(n * 3) % 10]} for draft Recommendation X.{1000 + n}",
                source=entity.name,
                source_entity=entity,
                abstract=f"This contribution proposes text on {words[(n * 7) % 10]} management.",
                translation_requested=n % 9 == 0,
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
                posted_at=now - datetime.timedelta(minutes=n),
                last_revised_at=now - datetime.timedelta(minutes=n),
            )
        )
    documents = Document.objects.bulk_create(rows)
    Revision.objects.bulk_create([Revision(document=d, number=0) for d in documents])
    revised = documents[::4][:246]
    Revision.objects.bulk_create([Revision(document=d, number=1, note="Updated text") for d in revised])
    Document.objects.filter(pk__in=[d.pk for d in revised]).update(latest_revision=1)
    through = Document.questions.through
    through.objects.bulk_create(
        [through(document_id=d.pk, question_id=questions[i % 15].pk) for i, d in enumerate(documents)]
    )
    for kind, last in ((Kind.CONTRIBUTION, 400), (Kind.TD, 600)):
        NumberSeries.objects.update_or_create(
            study_group=group, study_period=period, kind=kind, scope="", defaults={"last_number": last}
        )

    # Agenda of 150 items (30 items of 4 sub-items each), 40 of them treating a TD; 60 sessions.
    lines = []
    for n in range(1, 31):
        lines.append(f"{n}. Agenda item number {n} of the meeting")
        lines += [f"{chr(97 + m)}) Sub-item {m + 1} of item {n}, of ordinary length" for m in range(4)]
    agenda.import_outline(meeting, revision=0, by=secretariat, outline=parse_outline("\n".join(lines)), replace=True)
    items = list(AgendaItem.objects.filter(version__meeting=meeting, version__number=None).order_by("pk"))
    tds = [d for d in documents if d.kind == Kind.TD]
    for index, item in enumerate(items):
        item.questions.add(questions[index % 15])
        if index % 4 == 0 and index // 4 < 40:
            item.documents.add(tds[index // 4])
    agenda.publish_agenda(meeting, revision=1, by=secretariat, note="As announced")
    uids = [str(item.uid) for item in items[:20]]
    for n in range(60):
        day = meeting.first_day + datetime.timedelta(days=n % 10)
        start = datetime.datetime.combine(day, datetime.time(9 + 2 * ((n // 10) % 4)), tzinfo=meeting.zone)
        agenda.add_session(
            meeting,
            revision=n,
            by=secretariat,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            title=f"Q{n % 15 + 1}/17",
            room=f"Room {n // 40}",
            questions=[questions[n % 15]],
            agenda_item_uids=uids[n % 20 : n % 20 + 2],
        )
    agenda.publish_time_plan(meeting, revision=60, by=secretariat)
    # Its collective letter kept as issued, as announcing it through the portal does (the demo data announce
    # their meetings directly).
    keep_issued_letter(meeting, by=secretariat)
    return World(meeting, secretariat, focal_point, member, entities, questions)
