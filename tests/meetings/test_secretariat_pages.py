import datetime

import pytest
from django.urls import reverse

from meetings.models import KeyDeadline, Meeting, SideEvent
from tests.factories import MeetingFactory, StudyGroupFactory, StudyPeriodFactory
from tests.kept import forget_kept_answers
from tests.meetings.factories import SideEventFactory, geneva

D = datetime.date
pytestmark = pytest.mark.django_db

# The refusals of a date out of range, for the meeting of MeetingFactory (24 August to 3 September 2021).
DEADLINE_NOT_BEFORE_THE_MEETING = "A deadline must fall before the meeting starts (first day: 24 August 2021)."
SIDE_EVENT_AWAY_FROM_THE_MEETING = (
    "A side event must take place within 7 days of the meeting (24 August 2021 to 3 September 2021)."
)


@pytest.fixture
def staff_client(client, secretariat):
    client.force_login(secretariat)
    return client


def _meeting_data(**changes):
    data = {
        "study_group": StudyGroupFactory().pk,
        "study_period": StudyPeriodFactory().pk,
        "title": "",
        "format": "virtual",
        "first_day": "2021-08-24",
        "last_day": "2021-09-03",
        "session_start": "10:00",
        "session_end": "16:00",
        "time_zone": "Europe/Zurich",
        "venue": "",
        "remote_tool": "MyMeetings",
        "join_details": "",
        "working_language": "English",
        "interpretation": "no interpretation",
        "captioning": "captioning for the SG17 closing plenary on 3 September 2021",
        "letter_reference": "",
        "letter_date": "",
        "contact_reference": "SG17/XY",
        "signatory": "Chaesub Lee",
        "signatory_title": "Director of the Telecommunication Standardization Bureau",
        "practical_information": "",
        "draft_agenda": "1. Opening of the meeting",
    }
    return {**data, **changes}


def test_create_meeting_saves_it_with_computed_deadlines(staff_client):
    response = staff_client.post(reverse("meetings:create"), _meeting_data())
    meeting = Meeting.objects.get()
    assert (response.status_code, response.url) == (302, reverse("meetings:manage", kwargs={"pk": meeting.pk}))
    assert (meeting.state, meeting.first_day, meeting.session_end) == (
        Meeting.State.DRAFT,
        D(2021, 8, 24),
        datetime.time(16, 0),
    )
    assert dict(meeting.deadlines.values_list("kind", "day")) == {
        "translation": D(2021, 6, 24),
        "registration": D(2021, 7, 24),
        "contributions": D(2021, 8, 11),
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_day": "2021-08-20"}, "last_day", "The last day cannot be before the first day."),
        ({"last_day": "2021-10-20"}, "last_day", "A meeting lasts at most 31 days."),
        ({"session_end": "09:00"}, "session_end", "The daily sessions must end after they start."),
        ({"session_end": "10:00"}, "session_end", "The daily sessions must end after they start."),
        ({"format": "physical"}, "venue", "A physical or hybrid meeting needs a venue."),
        ({"format": "hybrid", "venue": "  "}, "venue", "A physical or hybrid meeting needs a venue."),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", None),
    ],
)
def test_create_meeting_bad_input_message_on_field_and_nothing_saved(staff_client, changes, field, message):
    response = staff_client.post(reverse("meetings:create"), _meeting_data(**changes))
    errors = response.context["form"].errors
    assert (response.status_code, list(errors)) == (200, [field])
    if message:
        assert errors[field] == [message]
        assert message in response.content.decode()
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert (Meeting.objects.count(), KeyDeadline.objects.count()) == (0, 0)


def test_edit_meeting_moves_computed_deadlines(staff_client):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("meetings:edit", kwargs={"pk": meeting.pk}),
        _meeting_data(study_group=meeting.study_group_id, first_day="2021-05-31", last_day="2021-06-04"),
    )
    assert response.status_code == 302
    assert meeting.deadlines.get(kind="registration").day == D(2021, 4, 30)


def test_edit_meeting_first_day_onto_manual_deadline_message_on_first_day(staff_client, secretariat):
    meeting = MeetingFactory()
    KeyDeadline.objects.filter(meeting=meeting, kind="contributions").update(
        day=D(2021, 8, 20), is_manual=True, reason="Late"
    )
    response = staff_client.post(
        reverse("meetings:edit", kwargs={"pk": meeting.pk}),
        _meeting_data(study_group=meeting.study_group_id, first_day="2021-08-19", last_day="2021-08-27"),
    )
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["first_day"])
    meeting.refresh_from_db()
    assert (meeting.first_day, meeting.deadlines.get(kind="registration").day) == (D(2021, 8, 24), D(2021, 7, 24))


def test_override_deadline_sets_day_and_reason(staff_client, secretariat):
    meeting = MeetingFactory()
    url = reverse("meetings:deadline_override", kwargs={"pk": meeting.pk, "kind": "contributions"})
    response = staff_client.post(url, {"day": "2021-08-09", "reason": "Public holiday in Geneva"})
    assert (response.status_code, response.url) == (302, reverse("meetings:manage", kwargs={"pk": meeting.pk}))
    deadline = meeting.deadlines.get(kind="contributions")
    assert (deadline.day, deadline.is_manual, deadline.reason, deadline.changed_by) == (
        D(2021, 8, 9),
        True,
        "Public holiday in Geneva",
        secretariat,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"day": "2021-08-24", "reason": "x"}, "day", DEADLINE_NOT_BEFORE_THE_MEETING),
        ({"day": "2021-08-30", "reason": "x"}, "day", DEADLINE_NOT_BEFORE_THE_MEETING),
        ({"day": "2021-08-09", "reason": "   "}, "reason", "Say why this deadline differs from the computed one."),
        ({"day": "", "reason": "x"}, "day", "Enter the new day."),
    ],
)
def test_override_deadline_bad_input_message_on_field_and_nothing_saved(staff_client, data, field, message):
    meeting = MeetingFactory()
    url = reverse("meetings:deadline_override", kwargs={"pk": meeting.pk, "kind": "contributions"})
    response = staff_client.post(url, data)
    assert (response.status_code, response.context["form"].errors) == (200, {field: [message]})
    deadline = meeting.deadlines.get(kind="contributions")
    assert (deadline.day, deadline.is_manual, deadline.reason) == (D(2021, 8, 11), False, "")


def test_override_deadline_unknown_kind_404(staff_client):
    meeting = MeetingFactory()
    url = reverse("meetings:deadline_override", kwargs={"pk": meeting.pk, "kind": "visa"})
    assert staff_client.get(url).status_code == 404


def test_reset_deadline_back_to_computed(staff_client):
    meeting = MeetingFactory()
    KeyDeadline.objects.filter(meeting=meeting, kind="contributions").update(
        day=D(2021, 8, 9), is_manual=True, reason="Holiday"
    )
    staff_client.post(reverse("meetings:deadline_reset", kwargs={"pk": meeting.pk, "kind": "contributions"}))
    deadline = meeting.deadlines.get(kind="contributions")
    assert (deadline.day, deadline.is_manual) == (D(2021, 8, 11), False)


def test_manage_page_shows_deadlines_with_their_origin(staff_client):
    meeting = MeetingFactory()
    KeyDeadline.objects.filter(meeting=meeting, kind="contributions").update(
        day=D(2021, 8, 9), is_manual=True, reason="Public holiday in Geneva"
    )
    response = staff_client.get(reverse("meetings:manage", kwargs={"pk": meeting.pk}))
    rows = [(d.kind, d.day, d.is_manual) for d, _status in response.context["deadlines"]]
    assert rows == [
        ("translation", D(2021, 6, 24), False),
        ("registration", D(2021, 7, 24), False),
        ("contributions", D(2021, 8, 9), True),
    ]
    assert "Public holiday in Geneva" in response.content.decode()


def test_announce_makes_meeting_public(staff_client, client):
    meeting = MeetingFactory(state=Meeting.State.DRAFT)
    response = staff_client.post(reverse("meetings:announce", kwargs={"pk": meeting.pk}))
    meeting.refresh_from_db()
    assert (response.status_code, meeting.state, meeting.letter_reference) == (
        302,
        Meeting.State.ANNOUNCED,
        "TSB Collective letter 1/17",
    )


def _side_event_data(**changes):
    data = {
        "title": "SG17 Overview for Newcomers",
        "kind": "tutorial",
        "starts_at_0": "2021-08-23",
        "starts_at_1": "10:00",
        "ends_at_0": "2021-08-23",
        "ends_at_1": "11:00",
        "registration_url": "",
    }
    return {**data, **changes}


def test_create_side_event_in_meeting_zone(staff_client):
    meeting = MeetingFactory()
    response = staff_client.post(reverse("meetings:side_event_create", kwargs={"pk": meeting.pk}), _side_event_data())
    assert response.status_code == 302
    event = meeting.side_events.get()
    assert (event.starts_at, event.ends_at) == (geneva(D(2021, 8, 23), 10), geneva(D(2021, 8, 23), 11))
    assert event.starts_at == datetime.datetime(2021, 8, 23, 8, 0, tzinfo=datetime.UTC)


def test_create_side_event_entered_by_someone_in_another_zone_still_meeting_zone(client, secretariat):
    secretariat.time_zone = "Asia/Seoul"
    secretariat.save()
    client.force_login(secretariat)
    meeting = MeetingFactory()
    client.post(reverse("meetings:side_event_create", kwargs={"pk": meeting.pk}), _side_event_data())
    assert meeting.side_events.get().starts_at == geneva(D(2021, 8, 23), 10)


def test_edit_side_event_form_shows_meeting_zone_times(staff_client):
    event = SideEventFactory()
    response = staff_client.get(
        reverse("meetings:side_event_edit", kwargs={"pk": event.meeting_id, "event_pk": event.pk})
    )
    html = response.content.decode()
    assert 'name="starts_at_0" value="2021-08-23"' in html
    assert 'name="starts_at_1" value="10:00"' in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"starts_at_0": "2021-08-10", "ends_at_0": "2021-08-10"}, "starts_at", SIDE_EVENT_AWAY_FROM_THE_MEETING),
        ({"starts_at_0": "2021-09-11", "ends_at_0": "2021-09-11"}, "starts_at", SIDE_EVENT_AWAY_FROM_THE_MEETING),
        ({"ends_at_1": "09:30"}, "ends_at", "The side event must end after it starts."),
        ({"ends_at_1": "10:00"}, "ends_at", "The side event must end after it starts."),
        ({"starts_at_1": ""}, "starts_at", "Enter the day and the time: starts."),
        ({"registration_url": "not a link"}, "registration_url", "Enter a valid URL."),
    ],
)
def test_create_side_event_bad_input_message_on_field_and_nothing_saved(staff_client, changes, field, message):
    meeting = MeetingFactory()
    response = staff_client.post(
        reverse("meetings:side_event_create", kwargs={"pk": meeting.pk}), _side_event_data(**changes)
    )
    assert (response.status_code, response.context["form"].errors) == (200, {field: [message]})
    assert SideEvent.objects.count() == 0


def test_delete_side_event(staff_client):
    event = SideEventFactory()
    staff_client.post(reverse("meetings:side_event_delete", kwargs={"pk": event.meeting_id, "event_pk": event.pk}))
    assert SideEvent.objects.count() == 0


def test_manage_list_query_count_fixed(staff_client, django_assert_num_queries):
    MeetingFactory()
    url = reverse("meetings:manage_list")
    # user, groups, meetings
    # + the approvals menu badge
    forget_kept_answers()
    with django_assert_num_queries(4):
        assert staff_client.get(url).status_code == 200
    for day in (D(2022, 3, 1), D(2023, 3, 1), D(2024, 3, 1)):
        MeetingFactory(first_day=day, state=Meeting.State.DRAFT)
    forget_kept_answers()
    with django_assert_num_queries(4):
        response = staff_client.get(url)
    assert len(response.context["meetings"]) == 4


def test_manage_page_query_count_fixed(staff_client, django_assert_num_queries):
    meeting = MeetingFactory()
    url = reverse("meetings:manage", kwargs={"pk": meeting.pk})
    # user, groups, meeting, deadlines, side events
    # + the approvals menu badge
    forget_kept_answers()
    with django_assert_num_queries(6):
        staff_client.get(url)
    for hour in (9, 12, 14, 16):
        SideEventFactory(meeting=meeting, starts_at=geneva(D(2021, 8, 25), hour))
    forget_kept_answers()
    with django_assert_num_queries(6):
        response = staff_client.get(url)
    assert len(response.context["side_events"]) == 4


def test_announce_without_signatory_is_refused_naming_what_is_missing(staff_client):
    meeting = MeetingFactory(state=Meeting.State.DRAFT, signatory="", signatory_title="")
    response = staff_client.post(reverse("meetings:announce", kwargs={"pk": meeting.pk}), follow=True)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.letter_reference, meeting.study_group.collective_letter_counter) == (
        Meeting.State.DRAFT,
        "",
        0,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "The meeting was not announced: its collective letter needs a signatory. Edit the meeting to add one."
    ]


def test_override_deadline_page_shows_the_stored_day_and_origin_even_after_a_refusal(staff_client):
    meeting = MeetingFactory()
    url = reverse("meetings:deadline_override", kwargs={"pk": meeting.pk, "kind": "contributions"})
    page = staff_client.get(url).content.decode()
    assert "Current day: <strong>11 August 2021</strong></li>" in page  # computed, not "(set by hand)"

    refused = staff_client.post(url, {"day": "2021-08-30", "reason": "x"})
    assert refused.context["form"].errors == {"day": [DEADLINE_NOT_BEFORE_THE_MEETING]}
    page = refused.content.decode()
    assert "Current day: <strong>11 August 2021</strong></li>" in page
    assert "30 August 2021" not in page


def test_new_meeting_form_names_the_letter_number_announcing_gives(staff_client):
    group = StudyGroupFactory(collective_letter_counter=2)
    form_page = staff_client.get(reverse("meetings:create")).content.decode()
    assert "TSB Collective letter 3/17" in form_page
    assert "13/17" not in form_page

    staff_client.post(reverse("meetings:create"), _meeting_data(study_group=group.pk))
    meeting = Meeting.objects.get()
    staff_client.post(reverse("meetings:announce", kwargs={"pk": meeting.pk}))
    meeting.refresh_from_db()
    assert meeting.letter_reference == "TSB Collective letter 3/17"
