import datetime

import pytest
from django.utils import timezone

from agenda.models import AgendaItem, AgendaVersion, Session, TimePlanVersion
from api.models import Scope
from api.services import create_access_token
from documents.models import Document, DocumentFile, Kind, Revision
from registration.models import Registration
from tests.factories import (
    QuestionFactory,
    RegistrationFactory,
    UserFactory,
    member_of,
)


def token_for(user, scopes=None, **kwargs) -> str:
    _row, token = create_access_token(
        user=user, name="test", scopes=list(scopes or Scope.values), expires_in=datetime.timedelta(days=30), **kwargs
    )
    return token


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def other_delegate(other_entity):
    return member_of(other_entity, email="other.delegate@example.org")


@pytest.fixture
def registration(meeting, member, entity):
    return RegistrationFactory(meeting=meeting, delegate=member, entity=entity, state=Registration.State.PENDING)


@pytest.fixture
def document(meeting, entity, member):
    """A contribution of ``entity`` with one file row (the file itself is not needed for what the API shows)."""
    question = QuestionFactory(study_group=meeting.study_group, number=4)
    now = timezone.now()
    doc = Document.objects.create(
        study_group=meeting.study_group,
        study_period=meeting.study_period,
        meeting=meeting,
        kind=Kind.CONTRIBUTION,
        number=1,
        title="Proposal on identity management",
        source=entity.name,
        source_entity=entity,
        posted_by=member,
        posted_at=now,
        last_revised_at=now,
    )
    doc.questions.add(question)
    revision = Revision.objects.create(document=doc, number=0, created_at=now, created_by=member)
    DocumentFile.objects.create(
        revision=revision,
        file="documents/x.docx",
        original_name="proposal.docx",
        size=1000,
        sha256="0" * 64,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        extension="docx",
        name="T17-SG17-C-0001!!MSW-E.docx",
    )
    return doc


@pytest.fixture
def published(meeting):
    """Version 1 of the agenda (two items) and of the time plan (one session), as published."""
    now = timezone.now()
    agenda = AgendaVersion.objects.create(meeting=meeting, number=1, published_at=now)
    opening = AgendaItem.objects.create(version=agenda, title="Opening of the meeting", position=0)
    AgendaItem.objects.create(version=agenda, title="Approval of the agenda", position=0, parent=opening)
    plan = TimePlanVersion.objects.create(meeting=meeting, number=1, published_at=now)
    starts = datetime.datetime.combine(meeting.first_day, datetime.time(10), tzinfo=meeting.zone)
    Session.objects.create(
        version=plan, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), title="Opening plenary"
    )
    return agenda, plan


@pytest.fixture
def people(member, focal_point, other_delegate, secretariat):
    return {"member": member, "focal_point": focal_point, "other_delegate": other_delegate, "secretariat": secretariat}


@pytest.fixture
def another_person(db):
    return UserFactory(email="someone.else@example.org")
