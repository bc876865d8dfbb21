import csv
import datetime
import io
import re
import subprocess
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from meetings.deadlines import end_of_day
from meetings.models import PdfJob
from meetings.pdf_jobs import render_job
from registration import queries
from registration.models import MemberEntity, Registration
from tests.factories import AffiliationFactory, MeetingFactory, MemberEntityFactory, RegistrationFactory, UserFactory
from tests.kept import forget_kept_answers

pytestmark = pytest.mark.django_db
Category = MemberEntity.Category


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def delegations(meeting):
    """Four entities, one per category, with their people."""
    entities = {
        Category.ADMINISTRATION: MemberEntityFactory(name="Republic of Korea", country="KR"),
        Category.SECTOR_MEMBER: MemberEntityFactory(name="Secure Networks AG", category=Category.SECTOR_MEMBER),
        Category.ASSOCIATE: MemberEntityFactory(
            name="Identity Forum",
            category=Category.ASSOCIATE,
            country="DE",
            associate_of=meeting.study_group,
        ),
        Category.ACADEMIA: MemberEntityFactory(name="University of Lagos", category=Category.ACADEMIA, country="NG"),
    }

    def person(family, gender=User.Gender.FEMALE):
        return UserFactory(family_name=family, given_name="Ann", gender=gender)

    korea = entities[Category.ADMINISTRATION]
    RegistrationFactory(meeting=meeting, entity=korea, delegate=person("Youm", "male"), state="approved")
    RegistrationFactory(
        meeting=meeting, entity=korea, delegate=person("Kim"), state="approved", head_of_delegation=True
    )
    RegistrationFactory(meeting=meeting, entity=korea, delegate=person("Park"), state="rejected")
    RegistrationFactory(meeting=meeting, entity=entities[Category.SECTOR_MEMBER], delegate=person("Weber", "male"))
    RegistrationFactory(
        meeting=meeting, entity=entities[Category.SECTOR_MEMBER], delegate=person("Meier", "male"), state="approved"
    )
    RegistrationFactory(
        meeting=meeting, entity=entities[Category.ASSOCIATE], delegate=person("Schulz", "male"), state="approved"
    )
    RegistrationFactory(
        meeting=meeting, entity=entities[Category.ACADEMIA], delegate=person("Okafor"), state="approved"
    )
    return entities


def test_meeting_registrations_counts_by_state_category_country_and_women(client, secretariat, meeting, delegations):
    client.force_login(secretariat)

    statistics = client.get(reverse("registration:meeting_registrations", args=[meeting.pk])).context["statistics"]

    assert dict(statistics.by_state) == {
        "Pending approval": 1,
        "Approved": 5,
        "Rejected": 1,
        "Cancelled": 0,
        "Expired": 0,
    }
    assert statistics.by_category == [
        ("Administration of a Member State", 2),
        ("Sector Member", 2),
        ("Associate", 1),
        ("Academia", 1),
    ]
    assert statistics.by_country == [("Republic of Korea", 2), ("Switzerland", 2), ("Germany", 1), ("Nigeria", 1)]
    assert (statistics.women, statistics.total) == (2, 6)
    assert {d.name: (d.women, d.total) for d in statistics.delegations}["Republic of Korea"] == (1, 2)


def test_meeting_registrations_filters_keep_state_counts_of_other_filters(client, secretariat, meeting, delegations):
    client.force_login(secretariat)

    response = client.get(
        reverse("registration:meeting_registrations", args=[meeting.pk]),
        {"state": "approved", "category": Category.ADMINISTRATION},
    )

    assert [r.delegate.family_name for r in response.context["page"]] == ["Kim", "Youm"]
    assert dict(response.context["statistics"].by_state)["Rejected"] == 1


@pytest.mark.parametrize("rows", [1, 30])
def test_meeting_registrations_query_count_is_fixed(client, secretariat, meeting, django_assert_num_queries, rows):
    RegistrationFactory.create_batch(rows, meeting=meeting)
    client.force_login(secretariat)
    url = reverse("registration:meeting_registrations", args=[meeting.pk])

    # user, groups; meeting (with its deadlines and side events: three, kept between requests); entities of the
    # filter; 2 statistics (states; delegations, which give the categories and countries); count and page + the
    # approvals menu badge
    with django_assert_num_queries(11):
        client.get(url, {"participation": "remote"})


def test_meeting_csv_exports_filtered_rows(client, secretariat, meeting, delegations):
    client.force_login(secretariat)

    response = client.get(reverse("registration:meeting_csv", args=[meeting.pk]), {"state": "approved"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Disposition"] == f'attachment; filename="registrations-meeting-{meeting.pk}.csv"'
    assert rows[0][:3] == ["Family name", "Given name", "E-mail"]
    assert sorted(r[0] for r in rows[1:]) == ["Kim", "Meier", "Okafor", "Schulz", "Youm"]


def test_participants_pdf_lists_approved_grouped_as_itu_does(client, secretariat, meeting, delegations, media_root):
    client.force_login(secretariat)

    job_page = client.post(reverse("registration:participants_pdf", args=[meeting.pk]))
    job = PdfJob.objects.get()
    assert job_page.url == reverse("meetings:pdf_job", args=[job.pk])
    assert "Waiting for a worker" in client.get(job_page.url).content.decode()
    render_job(job.pk)  # what the worker does (tests/topology runs it in a real worker)
    assert "The PDF is ready" in client.get(job_page.url).content.decode()
    response = client.get(reverse("meetings:pdf_job_file", args=[job.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="participants-meeting-{meeting.pk}.pdf"'

    text = pdf_text(b"".join(response.streaming_content))
    order = [
        "Administration of a Member State",
        "Republic of Korea",
        "KIM Ann",
        "YOUM Ann",
        "Sector Member",
        "MEIER Ann",
        "Associate",
        "Identity Forum",
        "SCHULZ Ann",
        "Academia",
        "University of Lagos",
        "OKAFOR Ann",
    ]
    positions = [text.index(label) for label in order]
    assert positions == sorted(positions)
    assert "PARK" not in text  # rejected
    assert "WEBER" not in text  # pending
    assert "Head of delegation" in text


def test_participants_pdf_page_says_what_it_will_list_and_makes_no_job(client, secretariat, meeting, delegations):
    client.force_login(secretariat)

    page = client.get(reverse("registration:participants_pdf", args=[meeting.pk])).content.decode()

    assert "The PDF lists the 5 approved participants of" in page
    assert 'method="post"' in page
    assert PdfJob.objects.count() == 0


def test_participants_pdf_post_while_one_waits_goes_to_that_job(client, secretariat, meeting, delegations, media_root):
    client.force_login(secretariat)
    url = reverse("registration:participants_pdf", args=[meeting.pk])

    first, second = client.post(url), client.post(url)
    waiting = PdfJob.objects.get()
    waiting_page = client.get(url).content.decode()
    render_job(waiting.pk)
    after_render = client.post(url)

    assert [first.url, second.url] == [reverse("meetings:pdf_job", args=[waiting.pk])] * 2
    assert reverse("meetings:pdf_job", args=[waiting.pk]) in waiting_page
    newer = PdfJob.objects.exclude(pk=waiting.pk).get()
    assert after_render.url == reverse("meetings:pdf_job", args=[newer.pk])
    assert reverse("meetings:pdf_job_file", args=[waiting.pk]) not in client.get(url).content.decode()  # newer waits


def test_participants_pdf_page_offers_the_last_rendered_file(client, secretariat, meeting, delegations, media_root):
    client.force_login(secretariat)
    url = reverse("registration:participants_pdf", args=[meeting.pk])
    client.post(url)
    render_job(PdfJob.objects.get().pk)

    page = client.get(url).content.decode()

    assert reverse("meetings:pdf_job_file", args=[PdfJob.objects.get().pk]) in page
    assert PdfJob.objects.count() == 1


def test_participants_pdf_post_without_csrf_token_is_refused(secretariat, meeting, delegations):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)

    response = client.post(reverse("registration:participants_pdf", args=[meeting.pk]))

    assert (response.status_code, PdfJob.objects.count()) == (403, 0)


def test_visa_letter_pdf_names_the_delegate_and_passport(client, secretariat, meeting, entity):
    delegate = UserFactory(given_name="Amina", family_name="Bello")
    registration = RegistrationFactory(
        meeting=meeting,
        entity=entity,
        delegate=delegate,
        state="approved",
        visa_support_requested=True,
        nationality="NG",
        passport_number="A07654321",
    )
    client.force_login(secretariat)

    response = client.get(reverse("registration:visa_letter", args=[registration.pk]))

    text = " ".join(pdf_text(response.content).split())
    assert "Amina Bello, a national of Nigeria, holder of passport number A07654321" in text
    assert "ITU headquarters, Geneva" in text


def test_visa_letter_pdf_without_request_is_404(client, secretariat, meeting, entity):
    registration = RegistrationFactory(meeting=meeting, entity=entity, state="approved")
    client.force_login(secretariat)

    assert client.get(reverse("registration:visa_letter", args=[registration.pk])).status_code == 404


@pytest.mark.parametrize("rows", [1, 20, 120])
def test_queue_query_count_is_fixed(client, focal_point, entity, meeting, django_assert_num_queries, rows):
    RegistrationFactory.create_batch(rows, meeting=meeting, entity=entity)
    client.force_login(focal_point)

    # user, focal point check; the layout's secretariat menu check (groups); the page's ids with the count of
    # all, then its registrations by id; affiliations + the approvals menu badge, the queue's meeting filter (2)
    forget_kept_answers()
    with django_assert_num_queries(9):
        response = client.get(reverse("registration:queue"))
    assert len(response.context["registrations"]) == min(rows, 50)
    assert response.context["page"].paginator.count == rows
    forget_kept_answers()
    with django_assert_num_queries(9):
        last = client.get(reverse("registration:queue"), {"page": response.context["page"].paginator.num_pages})
    assert len(last.context["registrations"]) == (20 if rows == 120 else rows)


def test_queue_pages_keep_the_meeting_filter_and_bulk_decisions_act_on_the_selected_rows(
    client, focal_point, entity, meeting
):
    other_meeting = MeetingFactory(first_day=meeting.first_day + datetime.timedelta(days=30))
    RegistrationFactory.create_batch(3, meeting=other_meeting, entity=entity)
    RegistrationFactory.create_batch(70, meeting=meeting, entity=entity)
    client.force_login(focal_point)
    queue = reverse("registration:queue")
    second = client.get(queue, {"meeting": meeting.pk, "page": 2})
    shown = list(second.context["registrations"])
    assert len(shown) == 20
    assert {r.meeting_id for r in shown} == {meeting.pk}
    html = second.content.decode()
    assert f'href="?meeting={meeting.pk}&amp;page=1"' in html
    picked = [r.pk for r in shown[:3]]
    answer = client.post(
        queue,
        {"action": "approve", "registration": picked, "next": f"{queue}?meeting={meeting.pk}&page=2"},
    )
    assert answer["Location"] == f"{queue}?meeting={meeting.pk}&page=2"
    approved = Registration.objects.filter(state=Registration.State.APPROVED)
    assert sorted(approved.values_list("pk", flat=True)) == sorted(picked)


def test_queue_shows_own_entities_only(client, focal_point, entity, other_entity, meeting):
    mine = RegistrationFactory(meeting=meeting, entity=entity)
    RegistrationFactory(meeting=meeting, entity=other_entity)
    client.force_login(focal_point)

    response = client.get(reverse("registration:queue"))

    assert list(response.context["registrations"]) == [mine]


@pytest.mark.parametrize("rows", [1, 10])
def test_my_registrations_query_count_is_fixed(client, delegate, meeting, django_assert_num_queries, rows):
    for _ in range(rows):
        RegistrationFactory(delegate=delegate, meeting=MeetingFactory(first_day=meeting.first_day))
    client.force_login(delegate)

    # user; registrations, history; open meetings; affiliations; focal point
    # check; the layout's secretariat menu check (groups; no model permissions: not staff)
    # + the approvals menu badge
    with django_assert_num_queries(7):
        response = client.get(reverse("registration:mine"))
    assert len(response.context["registrations"]) == rows


def test_open_meetings_end_with_the_last_day_in_the_meeting_zone(meeting):
    closes = end_of_day(meeting.last_day, meeting.time_zone)  # midnight in Geneva
    # A viewer far east is already on the next day before the meeting ends, one far west still on its last day after.
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Kiritimati")):
        assert [m.pk for m in queries.open_meetings(now=closes - datetime.timedelta(hours=1))] == [meeting.pk]
    with timezone.override(zoneinfo.ZoneInfo("Pacific/Honolulu")):
        assert queries.open_meetings(now=closes + datetime.timedelta(hours=1)) == []


@pytest.mark.parametrize("rows", [1, 15])
def test_entity_list_query_count_is_fixed(client, secretariat, django_assert_num_queries, rows):
    for _ in range(rows):
        MemberEntityFactory(focal_points=[UserFactory()])
    client.force_login(secretariat)

    # user, groups; count; page; focal points
    # + the approvals menu badge
    with django_assert_num_queries(6):
        client.get(reverse("registration:entities"))


@pytest.mark.parametrize("rows", [1, 12])
def test_delegation_query_count_is_fixed(client, focal_point, entity, meeting, django_assert_num_queries, rows):
    RegistrationFactory.create_batch(rows, meeting=meeting, entity=entity, state="approved")
    client.force_login(focal_point)

    # user, focal point check, groups, entity; meeting (with its deadlines and side events: three, kept between
    # requests); registrations; 2 statistics
    # + the approvals menu badge
    with django_assert_num_queries(11):
        response = client.get(reverse("registration:delegation", args=[entity.pk, meeting.pk]))
    assert len(response.context["registrations"]) == rows


def test_my_registrations_cancel_from_the_list(client, delegate, meeting, entity):
    registration = RegistrationFactory(delegate=delegate, meeting=meeting, entity=entity)
    client.force_login(delegate)

    response = client.post(
        reverse("registration:cancel", args=[registration.pk]), {"next": reverse("registration:mine")}
    )

    assert response["Location"] == reverse("registration:mine")
    assert Registration.objects.get().state == Registration.State.CANCELLED


def test_meeting_csv_neutralises_formulas_in_names(client, secretariat, meeting, entity):
    RegistrationFactory(meeting=meeting, entity=entity, delegate=UserFactory(family_name="=HYPERLINK(1)"))
    client.force_login(secretariat)

    response = client.get(reverse("registration:meeting_csv", args=[meeting.pk]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][0] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("rows", [1, 8])
def test_entity_detail_query_count_is_fixed(client, focal_point, entity, django_assert_num_queries, rows):
    for _ in range(rows):
        AffiliationFactory(entity=entity)
        AffiliationFactory(entity=entity, state="pending")
        RegistrationFactory(entity=entity, meeting=MeetingFactory())
    client.force_login(focal_point)

    # user, focal point check, groups, entity; focal points, members, pending requests, meetings;
    # the layout's secretariat menu check (no model permissions: not staff)
    # + the approvals menu badge
    with django_assert_num_queries(9):
        response = client.get(reverse("registration:entity", args=[entity.pk]))
    assert len(response.context["members"]) == rows + 1  # and the focal point, a member too


def _row(html: str, registration) -> str:
    return html.split(f'<tr data-registration="{registration.pk}">')[1].split("</tr>")[0]


def test_queue_rows_show_each_request_escaped_with_forms_that_carry_a_valid_token(focal_point, entity, meeting):
    script = "<script>alert(1)</script>"
    plain = RegistrationFactory(meeting=meeting, entity=entity, participation="remote")
    asking = RegistrationFactory(
        meeting=meeting,
        entity=entity,
        delegate=UserFactory(given_name=script, family_name="Doe", email="doe@example.org"),
        participation="in_person",
        head_of_delegation=True,
        is_late=True,
        fellowship_requested=True,
        visa_support_requested=True,
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_point)
    queue = reverse("registration:queue")

    html = client.get(queue).content.decode()

    assert "<script>alert" not in html
    row = _row(html, asking)
    assert 'aria-label="Select &lt;script&gt;alert(1)&lt;/script&gt; Doe"' in row
    assert f'<a href="{asking.get_absolute_url()}">&lt;script&gt;alert(1)&lt;/script&gt; Doe</a>' in row
    assert '<span class="small text-body-secondary">doe@example.org</span>' in row
    assert "In person · head of delegation · late</span>" in row
    assert 'request-fellowship">fellowship requested<' in row
    assert 'request-visa">visa support requested<' in row
    assert f'action="{reverse("registration:approve", args=[asking.pk])}"' in row
    assert f'action="{reverse("registration:reject", args=[asking.pk])}"' in row
    assert f'<label class="form-label small mb-0 align-self-center" for="reason-{asking.pk}">' in row
    assert f'<input type="hidden" name="next" value="{queue}">' in row
    plain_row = _row(html, plain)
    assert "Remote</span>" in plain_row
    assert "fellowship" not in plain_row
    assert "late" not in plain_row
    # Both forms of each row carry the request's token: the approval posted from the row goes through.
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', row)
    assert len(tokens) == 2
    answer = client.post(
        reverse("registration:approve", args=[asking.pk]), {"csrfmiddlewaretoken": tokens[0], "next": queue}
    )
    assert answer.status_code == 302
    asking.refresh_from_db()
    assert asking.state == Registration.State.APPROVED


def test_meeting_registrations_rows_escape_names_and_show_state_and_requests(client, secretariat, meeting):
    script = "<script>alert(1)</script>"
    entity = MemberEntityFactory(name=f"Entity {script}", country="KR")
    asking = RegistrationFactory(
        meeting=meeting,
        entity=entity,
        delegate=UserFactory(given_name="Ann", family_name=script),
        state="approved",
        participation="in_person",
        head_of_delegation=True,
        is_late=True,
        fellowship_requested=True,
        visa_support_requested=True,
    )
    client.force_login(secretariat)

    html = client.get(reverse("registration:meeting_registrations", args=[meeting.pk])).content.decode()

    assert "<script>alert" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    row = html.split(f'<a href="{asking.get_absolute_url()}">')[1].split("</tr>")[0]
    assert row.startswith(f'Ann {escaped}</a> <span class="badge text-bg-info">HoD</span></td>')
    assert f"<td>Entity {escaped}</td>" in row
    assert "<td>KR</td>" in row
    assert "<td>In person</td>" in row
    assert '<td class="small">fellowship visa</td>' in row
    assert '<span class="badge text-bg-success">Approved</span> <span class="badge text-bg-light">late</span>' in row


def test_meeting_registrations_say_when_no_registration_matches(client, secretariat, meeting):
    client.force_login(secretariat)

    html = client.get(reverse("registration:meeting_registrations", args=[meeting.pk])).content.decode()

    assert '<tr><td colspan="6">No registration matches.</td></tr>' in html
