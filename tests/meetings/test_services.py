import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from meetings.models import KeyDeadline, Meeting, SideEvent
from meetings.services import (
    announce_meeting,
    delete_side_event,
    override_key_deadline,
    reset_key_deadline,
    save_meeting,
    save_side_event,
)
from tests.factories import MeetingFactory, StudyGroupFactory, StudyPeriodFactory
from tests.meetings.factories import SideEventFactory, geneva

D = datetime.date
pytestmark = pytest.mark.django_db


def _days(meeting):
    return dict(meeting.deadlines.values_list("kind", "day"))


def test_save_meeting_new_meeting_gets_computed_deadlines():
    meeting = Meeting(
        study_group=StudyGroupFactory(),
        study_period=StudyPeriodFactory(),
        format=Meeting.Format.VIRTUAL,
        first_day=D(2021, 8, 24),
        last_day=D(2021, 9, 3),
    )
    save_meeting(meeting)
    assert _days(meeting) == {
        "translation": D(2021, 6, 24),
        "registration": D(2021, 7, 24),
        "contributions": D(2021, 8, 11),
    }


def test_save_meeting_moved_first_day_moves_computed_deadlines():
    meeting = MeetingFactory()
    meeting.first_day, meeting.last_day = D(2021, 5, 31), D(2021, 6, 4)
    save_meeting(meeting)
    assert _days(meeting) == {
        "translation": D(2021, 3, 31),
        "registration": D(2021, 4, 30),
        "contributions": D(2021, 5, 18),
    }


def test_save_meeting_deadline_set_by_hand_keeps_its_day_and_reason(secretariat):
    meeting = MeetingFactory()
    override_key_deadline(
        meeting.deadlines.get(kind="registration"), day=D(2021, 7, 20), reason="Summer closure", by=secretariat
    )
    meeting.refresh_from_db()
    meeting.first_day, meeting.last_day = D(2021, 9, 7), D(2021, 9, 17)
    save_meeting(meeting)
    registration = meeting.deadlines.get(kind="registration")
    assert (registration.day, registration.is_manual, registration.reason) == (D(2021, 7, 20), True, "Summer closure")
    assert meeting.deadlines.get(kind="translation").day == D(2021, 7, 7)


def test_save_meeting_virtual_to_physical_adds_fellowship_and_visa():
    meeting = MeetingFactory()
    meeting.format, meeting.venue = Meeting.Format.PHYSICAL, "ITU headquarters, Geneva"
    save_meeting(meeting)
    assert _days(meeting) == {
        "translation": D(2021, 6, 24),
        "fellowship": D(2021, 7, 13),
        "registration": D(2021, 7, 24),
        "visa": D(2021, 7, 24),
        "contributions": D(2021, 8, 11),
    }


def test_save_meeting_physical_to_virtual_drops_computed_travel_deadlines():
    meeting = MeetingFactory(format=Meeting.Format.PHYSICAL, venue="Geneva")
    meeting.format = Meeting.Format.VIRTUAL
    save_meeting(meeting)
    assert sorted(_days(meeting)) == ["contributions", "registration", "translation"]


def test_save_meeting_last_day_before_first_day_saves_nothing():
    meeting = MeetingFactory()
    meeting.last_day = D(2021, 8, 20)
    with pytest.raises(ValidationError) as error:
        save_meeting(meeting)
    assert error.value.message_dict == {"last_day": ["The last day cannot be before the first day."]}
    meeting.refresh_from_db()
    assert meeting.last_day == D(2021, 9, 3)


def test_save_meeting_first_day_not_after_manual_deadline_refused(secretariat):
    meeting = MeetingFactory()
    override_key_deadline(
        meeting.deadlines.get(kind="contributions"), day=D(2021, 8, 20), reason="Late start", by=secretariat
    )
    meeting.refresh_from_db()
    meeting.first_day = D(2021, 8, 20)
    with pytest.raises(ValidationError) as error:
        save_meeting(meeting)
    assert error.value.message_dict == {
        "first_day": [
            "The deadline “Member contributions (Direct Document Posting)” was set by hand to 20 August 2021, "
            "which is not before this first day. Change that deadline first."
        ]
    }
    assert Meeting.objects.get(pk=meeting.pk).first_day == D(2021, 8, 24)


def test_announce_meeting_draft_gets_next_letter_reference_and_date(secretariat):
    group = StudyGroupFactory(collective_letter_counter=11)
    meeting = MeetingFactory(study_group=group, state=Meeting.State.DRAFT)
    announced = announce_meeting(meeting, by=secretariat)
    group.refresh_from_db()
    assert (announced.state, announced.letter_reference) == (Meeting.State.ANNOUNCED, "TSB Collective letter 12/17")
    assert announced.letter_date is not None
    assert announced.announced_at is not None
    assert group.collective_letter_counter == 12


def test_announce_meeting_letter_date_is_today_in_the_meeting_zone(secretariat):
    meeting = MeetingFactory(state=Meeting.State.DRAFT)  # Europe/Zurich
    late_evening_utc = datetime.datetime(2021, 5, 31, 22, 30, tzinfo=datetime.UTC)  # 00:30 on 1 June in Geneva
    announced = announce_meeting(meeting, by=secretariat, now=late_evening_utc)
    assert (announced.letter_date, announced.announced_at) == (D(2021, 6, 1), late_evening_utc)


def test_announce_meeting_keeps_a_reference_set_by_hand(secretariat):
    meeting = MeetingFactory(
        state=Meeting.State.DRAFT, letter_reference="TSB Collective letter 12/17", letter_date=D(2021, 5, 21)
    )
    announced = announce_meeting(meeting, by=secretariat)
    assert (announced.letter_reference, announced.letter_date) == ("TSB Collective letter 12/17", D(2021, 5, 21))
    assert announced.study_group.collective_letter_counter == 0


def test_announce_meeting_twice_changes_nothing_the_second_time(secretariat):
    meeting = MeetingFactory(state=Meeting.State.DRAFT)
    first = announce_meeting(meeting, by=secretariat)
    second = announce_meeting(meeting, by=secretariat)
    assert (second.letter_reference, second.announced_at) == (first.letter_reference, first.announced_at)
    assert second.study_group.collective_letter_counter == 1


def test_override_key_deadline_records_who_and_why(secretariat):
    meeting = MeetingFactory()
    deadline = override_key_deadline(
        meeting.deadlines.get(kind="translation"),
        day=D(2021, 6, 21),
        reason="  Translation team on leave ",
        by=secretariat,
    )
    deadline.refresh_from_db()
    assert (deadline.day, deadline.is_manual, deadline.reason, deadline.changed_by) == (
        D(2021, 6, 21),
        True,
        "Translation team on leave",
        secretariat,
    )


def test_override_key_deadline_on_first_day_refused_and_saves_nothing(secretariat):
    meeting = MeetingFactory()
    deadline = meeting.deadlines.get(kind="contributions")
    with pytest.raises(ValidationError) as error:
        override_key_deadline(deadline, day=D(2021, 8, 24), reason="Oops", by=secretariat)
    assert error.value.message_dict == {
        "day": ["A deadline must fall before the meeting starts (first day: 24 August 2021)."]
    }
    deadline.refresh_from_db()
    assert (deadline.day, deadline.is_manual, deadline.reason) == (D(2021, 8, 11), False, "")


def test_override_key_deadline_without_reason_refused(secretariat):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as error:
        override_key_deadline(
            meeting.deadlines.get(kind="contributions"), day=D(2021, 8, 10), reason=" ", by=secretariat
        )
    assert error.value.message_dict == {"reason": ["Say why this deadline differs from the computed one."]}


def test_reset_key_deadline_goes_back_to_computed_day(secretariat):
    meeting = MeetingFactory()
    deadline = override_key_deadline(
        meeting.deadlines.get(kind="contributions"), day=D(2021, 8, 6), reason="Holiday", by=secretariat
    )
    reset = reset_key_deadline(deadline, by=secretariat)
    assert (reset.day, reset.is_manual, reset.reason) == (D(2021, 8, 11), False, "")


def test_reset_key_deadline_that_no_longer_applies_removes_it(secretariat):
    meeting = MeetingFactory(format=Meeting.Format.PHYSICAL, venue="Geneva")
    visa = override_key_deadline(
        meeting.deadlines.get(kind="visa"), day=D(2021, 7, 1), reason="Consulate", by=secretariat
    )
    meeting.refresh_from_db()
    meeting.format = Meeting.Format.VIRTUAL
    save_meeting(meeting)
    assert meeting.deadlines.filter(kind="visa").exists() is True
    assert reset_key_deadline(visa, by=secretariat) is None
    assert KeyDeadline.objects.filter(pk=visa.pk).exists() is False


def test_save_side_event_far_outside_the_meeting_refused():
    meeting = MeetingFactory()
    event = SideEvent(
        meeting=meeting, title="Workshop", starts_at=geneva(D(2021, 8, 16), 10), ends_at=geneva(D(2021, 8, 16), 12)
    )
    with pytest.raises(ValidationError) as error:
        save_side_event(event)
    assert error.value.message_dict == {
        "starts_at": ["A side event must take place within 7 days of the meeting (24 August 2021 to 3 September 2021)."]
    }
    assert meeting.side_events.count() == 0


def test_save_side_event_a_week_before_accepted_and_touches_meeting():
    meeting = MeetingFactory()
    before = Meeting.objects.get(pk=meeting.pk).updated_at
    save_side_event(
        SideEvent(
            meeting=meeting, title="Workshop", starts_at=geneva(D(2021, 8, 17), 10), ends_at=geneva(D(2021, 8, 17), 12)
        )
    )
    assert meeting.side_events.count() == 1
    assert Meeting.objects.get(pk=meeting.pk).updated_at > before


def test_save_side_event_ending_before_it_starts_refused():
    meeting = MeetingFactory()
    event = SideEvent(
        meeting=meeting, title="Tutorial", starts_at=geneva(D(2021, 8, 23), 11), ends_at=geneva(D(2021, 8, 23), 10)
    )
    with pytest.raises(ValidationError) as error:
        save_side_event(event)
    assert error.value.message_dict == {"ends_at": ["The side event must end after it starts."]}


def test_delete_side_event_removes_it():
    event = SideEventFactory()
    delete_side_event(event)
    assert SideEvent.objects.count() == 0


def test_admin_save_goes_through_save_meeting():
    meeting = MeetingFactory()
    meeting.first_day, meeting.last_day = D(2021, 5, 31), D(2021, 6, 4)
    admin.site._registry[Meeting].save_model(request=None, obj=meeting, form=None, change=True)
    assert meeting.deadlines.get(kind="registration").day == D(2021, 4, 30)
