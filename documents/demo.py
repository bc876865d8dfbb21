"""Demo documents for `make run`: contributions, TDs and queued drafts for the SG17 demo meetings.

Uses the meetings and entities the other demo loaders made when they exist, and otherwise creates what it
needs with get_or_create; a meeting that already has documents is left alone, so running twice changes nothing.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from accounts.rules import is_secretariat
from meetings.models import Meeting, Question, StudyGroup, StudyPeriod
from meetings.services import save_meeting
from registration.models import Affiliation, MemberEntity
from registration.queries import member_entities

from . import queries, services
from .models import Document, Scope, TdDraft, TdType
from .td_queue import create_td_draft
from .uploads import check_file

QUESTIONS = {
    2: "Security architecture and network security",
    4: "Cybersecurity and management of security incidents",
    6: "Security aspects of telecommunication services, networks and Internet of Things",
    10: "Identity management and telebiometrics architecture and mechanisms",
    11: "Generic technologies to support secure applications",
}
CONTRIBUTIONS = [
    # title, Question numbers, abstract, translation requested
    ("Proposed revision of X.509 for post-quantum signature algorithms", [11], "Adds algorithm identifiers.", True),
    ("Security guidelines for 5G network slicing", [2, 6], "Threats and countermeasures for slices.", False),
    ("Baseline text for X.iot-sec: secure firmware updates", [6], "Proposes a first baseline text.", False),
    ("Comments on the draft Recommendation on zero trust architecture", [2], "Clarifies trust evaluation.", False),
    ("Incident information sharing format for national CIRTs", [4], "Proposes a structured format.", True),
    ("Decentralized identity: requirements for verifiable credentials", [10], "Requirements and use cases.", False),
]
TDS = [
    # title, source, scope, type, Question numbers
    ("Draft agenda of the meeting", "TSB", Scope.PLEN, TdType.GENERAL, []),
    ("LS from ITU-R WP 5A on security of IMT-2030", "ITU-R WP 5A", Scope.GEN, TdType.LIAISON_INCOMING, [6]),
    ("Report of the Question 4/17 interim meeting", "Rapporteur Q4/17", Scope.WP2, TdType.REPORT, [4]),
    ("LS to ISO/IEC JTC 1/SC 27 on identity proofing", "SG17", Scope.WP2, TdType.LIAISON_OUTGOING, [10]),
]


def _docx(title: str, body: str) -> bytes:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_heading(title, level=1)
    word.add_paragraph(body)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _file(title: str, body: str = "Demo text.") -> ContentFile:
    return ContentFile(_docx(title, body), name=f"{slugify(title)[:60]}.docx")


def _meetings(group: StudyGroup) -> list[Meeting]:
    """An upcoming and a past SG17 meeting: the meetings demo's, or made here."""
    today = timezone.now().date()
    existing = list(group.meetings.exclude(state=Meeting.State.DRAFT).order_by("first_day"))
    upcoming = next((m for m in existing if m.first_day >= today), None)
    past = next((m for m in reversed(existing) if m.first_day < today), None)
    if upcoming is None or past is None:
        period, _ = StudyPeriod.objects.get_or_create(first_year=2025, last_year=2028)
        for wanted, first_day in (
            ("upcoming", today + datetime.timedelta(days=60)),
            ("past", today - datetime.timedelta(days=90)),
        ):
            if (upcoming if wanted == "upcoming" else past) is not None:
                continue
            meeting = Meeting.objects.filter(study_group=group, first_day=first_day).first()
            if meeting is None:
                meeting = save_meeting(
                    Meeting(
                        study_group=group,
                        study_period=period,
                        first_day=first_day,
                        last_day=first_day + datetime.timedelta(days=9),
                        state=Meeting.State.ANNOUNCED,
                    )
                )
            if wanted == "upcoming":
                upcoming = meeting
            else:
                past = meeting
    return [upcoming, past]


def _entities(people) -> list[MemberEntity]:
    entities = []
    defaults = [
        ("Federal Republic of Nigeria", "NG", MemberEntity.Category.ADMINISTRATION),
        ("Korea (Republic of)", "KR", MemberEntity.Category.ADMINISTRATION),
    ]
    for person, (name, country, category) in zip(people, defaults, strict=True):
        entity = member_entities(person).first()
        if entity is None:
            entity, _ = MemberEntity.objects.get_or_create(name=name, country=country, defaults={"category": category})
            Affiliation.objects.update_or_create(
                user=person, entity=entity, defaults={"state": Affiliation.State.APPROVED}
            )
        entities.append(entity)
    return entities


def _posting_time(meeting: Meeting, days_before: int) -> datetime.datetime:
    """A moment before the contributions deadline (and before now), so demo postings are on time."""
    deadline = queries.contributions_deadline(meeting)
    latest = min(timezone.now(), deadline.closes_at - datetime.timedelta(hours=1)) if deadline else timezone.now()
    return latest - datetime.timedelta(days=days_before, hours=3)


def load(stdout=None):
    User = get_user_model()
    secretariat = User.objects.filter(email="secretariat@example.org").first()
    delegate = User.objects.filter(email="delegate@example.org").first()
    focal_point = User.objects.filter(email="focal.point@example.org").first()
    if not (secretariat and delegate and focal_point and is_secretariat(secretariat)):
        return
    group, _ = StudyGroup.objects.get_or_create(number=17, defaults={"title": "Security"})
    questions = {
        number: Question.objects.get_or_create(study_group=group, number=number, defaults={"title": title})[0]
        for number, title in QUESTIONS.items()
    }
    entities = _entities([delegate, focal_point])
    posters = [delegate, focal_point]
    for index, meeting in enumerate(_meetings(group)):
        if Document.objects.filter(meeting=meeting).exists():
            continue
        share = CONTRIBUTIONS if index == 0 else CONTRIBUTIONS[:4]
        for n, (title, question_numbers, abstract, translation) in enumerate(share):
            at = _posting_time(meeting, days_before=len(share) - n)
            translation_deadline = queries.translation_deadline(meeting)
            document = services.post_contribution(
                meeting,
                entity=entities[n % 2],
                title=title,
                questions=[questions[q] for q in question_numbers],
                abstract=abstract,
                translation_requested=translation
                and (translation_deadline is None or translation_deadline.is_open(at)),
                files=[_file(title, abstract)],
                by=posters[n % 2],
                at=at,
            )
            if n == 1:
                services.add_revision(
                    document, files=[_file(title, "Revised text.")], by=posters[1], note="Editorial fixes", at=at
                )
        for title, source, scope, td_type, question_numbers in TDS:
            services.post_td(
                meeting,
                title=title,
                source=source,
                scope=scope,
                td_type=td_type,
                questions=[questions[q] for q in question_numbers],
                files=[_file(title)],
                by=secretariat,
                at=_posting_time(meeting, days_before=1),
            )
        if index == 0 and not TdDraft.objects.filter(meeting=meeting).exists():
            for subject, person in (
                ("Draft LS on quantum key distribution networks", delegate),
                ("Updated work programme of Q10/17", focal_point),
            ):
                create_td_draft(
                    checked=[check_file(_file(subject))],
                    channel=TdDraft.Channel.UPLOAD,
                    sender_email=person.email,
                    submitted_by=person,
                    meeting=meeting,
                    subject=subject,
                )
        if stdout:
            stdout.write(f"Documents: {meeting.documents.count()} for {meeting} ({meeting.first_day}).")
