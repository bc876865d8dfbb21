"""List endpoints read in a fixed number of queries, for one row and for a thousand."""

import datetime
import json

import pytest
from django.urls import reverse

from accounts.models import User
from documents.models import Document
from meetings.models import Meeting
from registration.models import Registration
from tests.documents.test_lists import bulk_documents
from tests.factories import QuestionFactory, UserFactory
from tests.kept import forget_kept_answers

pytestmark = pytest.mark.django_db


def bulk_meetings(template: Meeting, count: int) -> None:
    Meeting.objects.bulk_create(
        [
            Meeting(
                study_group=template.study_group,
                study_period=template.study_period,
                first_day=template.first_day + datetime.timedelta(days=7 * n),
                last_day=template.first_day + datetime.timedelta(days=7 * n + 4),
                state=Meeting.State.ANNOUNCED,
            )
            for n in range(1, count + 1)
        ]
    )


def bulk_registrations(meeting, entity, count: int, *, prefix: str) -> None:
    people = User.objects.bulk_create([UserFactory.build(email=f"{prefix}{n}@example.org") for n in range(count)])
    Registration.objects.bulk_create([Registration(meeting=meeting, entity=entity, delegate=p) for p in people])


def test_meeting_list_queries_do_not_grow_with_rows(client, meeting, django_assert_num_queries):
    url = reverse("api:meeting-list")
    with django_assert_num_queries(1):
        assert len(client.get(url, {"page_size": 1000}).json()["results"]) == 1
    bulk_meetings(meeting, 999)
    with django_assert_num_queries(1):
        assert len(client.get(url, {"page_size": 1000}).json()["results"]) == 1000


def test_document_list_queries_do_not_grow_with_rows(client, meeting, member, django_assert_num_queries):
    questions = [QuestionFactory(study_group=meeting.study_group, number=n) for n in (2, 4, 6)]
    client.force_login(member)
    url = reverse("api:document-list", kwargs={"pk": meeting.pk})
    bulk_documents(meeting, questions, contributions=1, tds=0)
    # The meeting is read with its deadlines and side events (three queries, kept between requests).
    forget_kept_answers()
    with django_assert_num_queries(9):
        assert len(client.get(url, {"page_size": 1000}).json()["results"]) == 1
    Document.objects.all().delete()
    bulk_documents(meeting, questions, contributions=400, tds=600)
    forget_kept_answers()
    with django_assert_num_queries(9):
        assert len(client.get(url, {"page_size": 1000}).json()["results"]) == 1000


def test_registration_list_queries_do_not_grow_with_rows(
    client, meeting, entity, secretariat, django_assert_num_queries
):
    client.force_login(secretariat)
    url = reverse("api:registration-list")
    bulk_registrations(meeting, entity, 1, prefix="one")
    forget_kept_answers()
    with django_assert_num_queries(3):
        assert len(client.get(url, {"page_size": 1000}).json()["results"]) == 1
    Registration.objects.all().delete()
    bulk_registrations(meeting, entity, 1000, prefix="many")
    forget_kept_answers()
    with django_assert_num_queries(3):
        assert len(client.get(url, {"page_size": 1000}).json()["results"]) == 1000


def test_document_list_filters_and_search(client, meeting, member):
    questions = [QuestionFactory(study_group=meeting.study_group, number=n) for n in (2, 4)]
    bulk_documents(meeting, questions, contributions=6, tds=4)
    client.force_login(member)
    url = reverse("api:document-list", kwargs={"pk": meeting.pk})

    def names(**query):
        return sorted(d["name"] for d in client.get(url, query).json()["results"])

    assert names(kind="C", question=4) == ["C 2 Rev.2", "C 4 Rev.1", "C 6"]
    assert names(kind="report") == []
    assert names(q="TD 3") == ["TD 3 (PLEN)"]
    assert names(source="Operator 1") == ["C 1 Rev.1"]
    assert len(names(since=datetime.date.today().isoformat())) == 10
    assert client.get(url, {"question": 99}).status_code == 400


def test_document_list_rows_are_what_the_serializer_writes(client, meeting, member, document):
    from api.serializers import DocumentSerializer
    from documents.models import Document as Model

    client.force_login(member)
    [row] = client.get(reverse("api:document-list", kwargs={"pk": meeting.pk})).json()["results"]
    expected = DocumentSerializer(Model.objects.prefetch_related("questions", "revisions__files").get()).data
    assert row == json.loads(json.dumps(expected))
