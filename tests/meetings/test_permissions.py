"""Who may open what, as URL × role tables."""

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from meetings import urls
from meetings.models import LetterIssue, Meeting
from tests.factories import MeetingFactory
from tests.meetings.factories import SideEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_meeting():
    """A draft SG17 meeting with a side event and an addendum (the pages the tables open show them)."""
    return prepare_meeting(MeetingFactory(state=Meeting.State.DRAFT))


def prepare_meeting(meeting):
    """Gives ``meeting`` what the table's pages show: a side event and an addendum (used by the accessibility
    tests too)."""
    SideEventFactory(meeting=meeting)
    # An addendum, as if the meeting had been announced and changed (the table checks who reads it).
    LetterIssue.objects.create(
        meeting=meeting,
        number=1,
        reference="Addendum 1 to TSB Collective letter 3/17",
        issued_on=meeting.first_day,
        issued_at=timezone.now(),
        subject="Virtual meeting of Study Group 17",
        changes=[{"what": "Venue", "before": "virtual meeting", "after": "Geneva"}],
    )
    return meeting


def _secretariat_pages(meeting):
    event = meeting.side_events.get()
    return [
        reverse("meetings:manage_list"),
        reverse("meetings:create"),
        reverse("meetings:manage", kwargs={"pk": meeting.pk}),
        reverse("meetings:edit", kwargs={"pk": meeting.pk}),
        reverse("meetings:texts", kwargs={"pk": meeting.pk, "language": "ar"}),
        reverse("meetings:clone", kwargs={"pk": meeting.pk}),
        reverse("meetings:deadline_override", kwargs={"pk": meeting.pk, "kind": "registration"}),
        reverse("meetings:side_event_create", kwargs={"pk": meeting.pk}),
        reverse("meetings:side_event_edit", kwargs={"pk": meeting.pk, "event_pk": event.pk}),
    ]


def _secretariat_actions(meeting):
    event = meeting.side_events.get()
    return [
        reverse("meetings:announce", kwargs={"pk": meeting.pk}),
        reverse("meetings:deadline_reset", kwargs={"pk": meeting.pk, "kind": "registration"}),
        reverse("meetings:side_event_delete", kwargs={"pk": meeting.pk, "event_pk": event.pk}),
    ]


def _public_pages(meeting):
    return [
        reverse("meetings:detail", kwargs={"pk": meeting.pk}),
        reverse("meetings:letter", kwargs={"pk": meeting.pk}),
        reverse("meetings:letter_pdf", kwargs={"pk": meeting.pk}),
        reverse("meetings:calendar", kwargs={"pk": meeting.pk}),
        reverse("meetings:addendum", kwargs={"pk": meeting.pk, "number": 1}),
        reverse("meetings:addendum_pdf", kwargs={"pk": meeting.pk, "number": 1}),
    ]


def _listing_pages():
    return [reverse("meetings:index"), reverse("meetings:study_group", kwargs={"number": 17})]


def _pdf_job_pages(job):
    return [
        reverse("meetings:pdf_job", kwargs={"pk": job.pk}),
        reverse("meetings:pdf_job_file", kwargs={"pk": job.pk}),
    ]


@pytest.fixture
def rendered_job(secretariat, tmp_path, settings):
    """A participants list rendered (in this process) for an announced meeting."""
    from meetings.pdf_jobs import render_job, request_pdf_job

    settings.MEDIA_ROOT = tmp_path / "media"
    meeting = MeetingFactory(state=Meeting.State.ANNOUNCED)
    job = request_pdf_job(meeting, kind="participants", by=secretariat)
    render_job(job.pk)
    return job


def test_pdf_job_pages_secretariat_200_delegate_403_anonymous_to_log_in(client, secretariat, delegate, rendered_job):
    urls = _pdf_job_pages(rendered_job)
    anonymous = [client.get(url) for url in urls]
    client.force_login(delegate)
    as_delegate = [client.get(url).status_code for url in urls]
    client.force_login(secretariat)
    as_secretariat = [client.get(url).status_code for url in urls]
    assert [(r.status_code, r.url.split("?")[0]) for r in anonymous] == [(302, reverse("account_login"))] * 2
    assert (as_delegate, as_secretariat) == ([403, 403], [200, 200])


def test_pdf_job_of_a_draft_meeting_is_404_to_delegates(client, delegate, rendered_job):
    Meeting.objects.filter(pk=rendered_job.meeting_id).update(state=Meeting.State.DRAFT)
    client.force_login(delegate)
    assert [client.get(url).status_code for url in _pdf_job_pages(rendered_job)] == [404, 404]


def test_permission_tables_cover_every_url(draft_meeting, rendered_job):
    tested = (
        _secretariat_pages(draft_meeting)
        + _secretariat_actions(draft_meeting)
        + _public_pages(draft_meeting)
        + _listing_pages()
    )
    tested += _pdf_job_pages(rendered_job)
    assert sorted({resolve(url).url_name for url in tested}) == sorted(p.name for p in urls.urlpatterns)


def test_secretariat_pages_secretariat_gets_200(client, secretariat, draft_meeting):
    client.force_login(secretariat)
    assert [client.get(url).status_code for url in _secretariat_pages(draft_meeting)] == [200] * 9


def test_secretariat_pages_delegate_gets_403(client, delegate, draft_meeting):
    client.force_login(delegate)
    assert [client.get(url).status_code for url in _secretariat_pages(draft_meeting)] == [403] * 9


def test_secretariat_pages_anonymous_sent_to_log_in(client, draft_meeting):
    for url in _secretariat_pages(draft_meeting):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"{reverse('account_login')}?next={url}")


def test_secretariat_actions_delegate_gets_403_and_nothing_changes(client, delegate, draft_meeting):
    client.force_login(delegate)
    assert [client.post(url).status_code for url in _secretariat_actions(draft_meeting)] == [403] * 3
    draft_meeting.refresh_from_db()
    assert (draft_meeting.state, draft_meeting.side_events.count()) == (Meeting.State.DRAFT, 1)


def test_secretariat_actions_anonymous_sent_to_log_in_and_nothing_changes(client, draft_meeting):
    assert [client.post(url).status_code for url in _secretariat_actions(draft_meeting)] == [302] * 3
    draft_meeting.refresh_from_db()
    assert (draft_meeting.state, draft_meeting.side_events.count()) == (Meeting.State.DRAFT, 1)


def test_secretariat_actions_refuse_get(client, secretariat, draft_meeting):
    client.force_login(secretariat)
    assert [client.get(url).status_code for url in _secretariat_actions(draft_meeting)] == [405] * 3


def test_secretariat_pages_of_missing_meeting_404(client, secretariat):
    client.force_login(secretariat)
    urls = [
        reverse("meetings:manage", kwargs={"pk": 999}),
        reverse("meetings:edit", kwargs={"pk": 999}),
        reverse("meetings:clone", kwargs={"pk": 999}),
        reverse("meetings:deadline_override", kwargs={"pk": 999, "kind": "registration"}),
        reverse("meetings:side_event_create", kwargs={"pk": 999}),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 5


def test_side_event_of_another_meeting_404(client, secretariat, draft_meeting):
    other = SideEventFactory(meeting=MeetingFactory())
    client.force_login(secretariat)
    url = reverse("meetings:side_event_edit", kwargs={"pk": draft_meeting.pk, "event_pk": other.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("state", [Meeting.State.ANNOUNCED, Meeting.State.CLOSED])
def test_public_pages_announced_or_closed_meeting_readable_by_anyone(client, delegate, draft_meeting, state):
    Meeting.objects.filter(pk=draft_meeting.pk).update(state=state)
    assert [client.get(url).status_code for url in _public_pages(draft_meeting)] == [200] * 6
    client.force_login(delegate)
    assert [client.get(url).status_code for url in _public_pages(draft_meeting)] == [200] * 6


def test_public_pages_draft_404_to_anonymous_and_delegates(client, delegate, draft_meeting):
    assert [client.get(url).status_code for url in _public_pages(draft_meeting)] == [404] * 6
    client.force_login(delegate)
    assert [client.get(url).status_code for url in _public_pages(draft_meeting)] == [404] * 6


def test_public_pages_draft_readable_by_secretariat(client, secretariat, draft_meeting):
    client.force_login(secretariat)
    assert [client.get(url).status_code for url in _public_pages(draft_meeting)] == [200] * 6


def test_listing_pages_readable_by_anyone(client, delegate, secretariat, draft_meeting):
    statuses = [client.get(url).status_code for url in _listing_pages()]
    for person in (delegate, secretariat):
        client.force_login(person)
        statuses += [client.get(url).status_code for url in _listing_pages()]
    assert statuses == [200] * 6


def test_study_group_page_hides_drafts(client, draft_meeting):
    response = client.get(reverse("meetings:study_group", kwargs={"number": 17}))
    assert (response.status_code, response.context["upcoming"], response.context["past"]) == (200, [], [])


def test_unknown_study_group_404(client, db):
    assert client.get(reverse("meetings:study_group", kwargs={"number": 99})).status_code == 404


# --- Chairs on draft meetings: the draft rule (meetings.rules) lets the chairs of its study group read it -------


def test_public_pages_draft_readable_by_the_chairs_of_its_study_group_only(
    client, chair, chair_of_another_study_group, draft_meeting
):
    client.force_login(chair)
    own = [client.get(url).status_code for url in _public_pages(draft_meeting)]
    client.force_login(chair_of_another_study_group)
    other = [client.get(url).status_code for url in _public_pages(draft_meeting)]
    assert (own, other) == ([200] * 6, [404] * 6)


@pytest.mark.parametrize("who", ["chair", "chair_of_another_study_group"])
def test_secretariat_pages_and_actions_draft_chairs_get_403_and_nothing_changes(client, draft_meeting, who, request):
    client.force_login(request.getfixturevalue(who))
    pages = [client.get(url).status_code for url in _secretariat_pages(draft_meeting)]
    actions = [client.post(url).status_code for url in _secretariat_actions(draft_meeting)]
    draft_meeting.refresh_from_db()
    assert (pages, actions) == ([403] * 9, [403] * 3)
    assert (draft_meeting.state, draft_meeting.side_events.count()) == (Meeting.State.DRAFT, 1)


def test_pdf_job_of_a_draft_meeting_is_403_to_its_chairs_404_to_others(
    client, chair, chair_of_another_study_group, rendered_job
):
    Meeting.objects.filter(pk=rendered_job.meeting_id).update(state=Meeting.State.DRAFT)
    client.force_login(chair)
    own = [client.get(url).status_code for url in _pdf_job_pages(rendered_job)]
    client.force_login(chair_of_another_study_group)
    other = [client.get(url).status_code for url in _pdf_job_pages(rendered_job)]
    assert (own, other) == ([403, 403], [404, 404])


def test_listing_pages_list_no_draft_even_to_its_chairs(client, chair, draft_meeting):
    client.force_login(chair)
    response = client.get(reverse("meetings:study_group", kwargs={"number": 17}))
    assert (response.status_code, response.context["upcoming"], response.context["past"]) == (200, [], [])
