"""Demo entities, affiliations and registrations for `make run`; running it again changes nothing.

Runs after the meetings demo, whose upcoming SG17 meeting it finds by state and first day. Without the
meetings demo it creates what it needs once (looked up by its first day, never duplicated).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.demo import ensure_user
from accounts.models import User
from meetings.models import Meeting, StudyGroup, StudyPeriod
from meetings.services import sync_key_deadlines

from . import services
from .models import Affiliation, MemberEntity, Registration
from .windows import registration_window

Category = MemberEntity.Category

ENTITIES = [
    # name, category, country, automatic approval
    ("Administration of Switzerland", Category.ADMINISTRATION, "CH", True),
    ("Republic of Korea", Category.ADMINISTRATION, "KR", False),
    ("Helvetic Secure Networks AG", Category.SECTOR_MEMBER, "CH", False),
    ("Trusted Identity Consortium", Category.ASSOCIATE, "DE", False),
    ("University of Lagos", Category.ACADEMIA, "NG", False),
]


def _study_group() -> StudyGroup:
    group, _ = StudyGroup.objects.get_or_create(number=17, defaults={"title": "Security", "email": "tsbsg17@itu.int"})
    return group


def upcoming_meeting() -> Meeting:
    """The next announced SG17 meeting; created (hybrid, in about three months) only if there is none."""
    group = _study_group()
    today = timezone.localdate()
    meeting = (
        Meeting.objects.filter(study_group=group, state=Meeting.State.ANNOUNCED, first_day__gt=today)
        .order_by("first_day")
        .first()
    )
    if meeting is None:
        first_day = datetime.date(today.year, today.month, 1) + datetime.timedelta(days=100)
        period, _ = StudyPeriod.objects.get_or_create(first_year=2025, last_year=2028)
        meeting, _ = Meeting.objects.get_or_create(
            study_group=group,
            first_day=first_day,
            defaults={
                "study_period": period,
                "format": Meeting.Format.HYBRID,
                "last_day": first_day + datetime.timedelta(days=9),
                "venue": "ITU headquarters, Geneva",
                "state": Meeting.State.ANNOUNCED,
                "announced_at": timezone.now(),
                "join_details": "MyMeetings: https://mymeetings.example.org/sg17 (meeting ID 2026 17)",
            },
        )
        sync_key_deadlines(meeting)
    return meeting


# More people than accounts/demo.py has, to fill the delegations: e-mail, given, family, gender, country.
DELEGATES = [
    ("marc.favre@example.org", "Marc", "Favre", User.Gender.MALE, "CH"),
    ("ji-woo.park@example.org", "Ji-woo", "Park", User.Gender.FEMALE, "KR"),
]


def _user(email) -> User | None:
    return User.objects.filter(email=email).first()


@transaction.atomic
def load(stdout=None):
    group = _study_group()
    entities = {}
    for name, category, country, auto in ENTITIES:
        entities[name], _ = MemberEntity.objects.get_or_create(
            name=name,
            country=country,
            defaults={
                "category": category,
                "auto_approval": auto,
                "associate_of": group if category == Category.ASSOCIATE else None,
            },
        )
    korea = entities["Republic of Korea"]
    focal_point = _user("focal.point@example.org")
    delegate = _user("delegate@example.org")
    secretariat = _user("secretariat@example.org")
    if focal_point:
        korea.focal_points.add(focal_point)
        Affiliation.objects.get_or_create(
            user=focal_point, entity=korea, defaults={"state": Affiliation.State.APPROVED, "decided_at": timezone.now()}
        )
    if delegate:
        Affiliation.objects.get_or_create(
            user=delegate,
            entity=korea,
            defaults={"state": Affiliation.State.APPROVED, "decided_by": focal_point, "decided_at": timezone.now()},
        )
    switzerland = entities["Administration of Switzerland"]
    swiss_delegate = ensure_user(*DELEGATES[0])
    Affiliation.objects.get_or_create(
        user=swiss_delegate,
        entity=switzerland,
        defaults={"state": Affiliation.State.APPROVED, "decided_at": timezone.now()},
    )
    # Ji-woo Park has no affiliation yet: her registration asks Korea's focal point to confirm both.
    newcomer_to_korea = ensure_user(*DELEGATES[1])
    meeting = upcoming_meeting()
    registrations = 0
    for person, entity in (
        (focal_point, korea),
        (delegate, korea),
        (swiss_delegate, switzerland),
        (newcomer_to_korea, korea),
    ):
        if person is None or Registration.objects.filter(meeting=meeting, delegate=person).exists():
            continue
        # The focal point's own registration and the Swiss one (automatic approval) are approved at once; the
        # others wait in the focal point's queue. Should the
        # meeting's registration be closed already, the secretariat registers them.
        registrar = person
        if not registration_window(meeting).open_to_delegates and secretariat:
            registrar = secretariat
        services.register(
            meeting, delegate=person, entity=entity, by=registrar, participation=Registration.Participation.REMOTE
        )
        registrations += 1
    if stdout:
        stdout.write(
            f"Registration: {len(entities)} member entities (Korea's focal point: focal.point@example.org), "
            f"{registrations} new registrations for {meeting}; more delegates (same password): "
            + ", ".join(email for email, *_rest in DELEGATES)
        )
