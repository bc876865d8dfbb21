import zoneinfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from agenda import services
from agenda.models import Session
from agenda.timeplan import session_flags
from tests.agenda.factories import add_session, at, change_session, time_plan_revision
from tests.factories import QuestionFactory


def test_overlap_in_the_same_room_is_refused_naming_the_other_session(on_the_letters_dates, meeting, secretariat):
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")

    with pytest.raises(services.SessionOverlap) as error:
        add_session(meeting, secretariat, 0, "11:30", "13:00", "Q2/17", "popov ")

    assert str(error.value) == (
        "Room Popov is already taken at that time by “Q4/17” (Tuesday 24 August 2021, 10:00–12:00 CEST)."
    )
    assert list(Session.objects.values_list("title", flat=True)) == ["Q4/17"]


def test_sessions_back_to_back_or_in_other_rooms_or_virtual_are_accepted(meeting, secretariat):
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    add_session(meeting, secretariat, 0, "12:00", "13:00", "Q2/17", "Popov")
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q6/17", "K")
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q10/17")
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q11/17")

    assert Session.objects.count() == 5


def test_moving_a_session_onto_another_is_refused(meeting, secretariat):
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    moving = add_session(meeting, secretariat, 1, "10:00", "12:00", "Q2/17", "Popov")

    with pytest.raises(services.SessionOverlap):
        change_session(moving, secretariat, 0, "09:00", "10:30", "Q2/17", "Popov")

    assert Session.objects.get(pk=moving.pk).starts_at == at(meeting, 1, "10:00")


def test_sessions_outside_the_days_or_hours_are_flagged(meeting):
    zone = meeting.zone

    def flags(day, start, end):
        return session_flags(at(meeting, day, start).astimezone(zone), at(meeting, day, end).astimezone(zone), meeting)

    assert flags(0, "10:00", "16:00") == []
    assert flags(0, "09:00", "11:00") == ["outside the daily hours 10:00–16:00"]
    assert flags(-1, "10:00", "11:00") == ["outside the meeting's days"]
    assert flags(11, "15:00", "17:00") == ["outside the meeting's days", "outside the daily hours 10:00–16:00"]


def publish(meeting, by):
    return services.publish_time_plan(meeting, revision=time_plan_revision(meeting), by=by)


def test_publishing_raises_sequence_only_for_sessions_that_moved(meeting, secretariat):
    q4 = add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    add_session(meeting, secretariat, 0, "13:00", "15:00", "Q2/17", "Popov")
    publish(meeting, secretariat)
    change_session(q4, secretariat, 1, "10:00", "12:00", "Q4/17", "Popov")
    second = publish(meeting, secretariat)

    assert dict(second.sessions.values_list("title", "sequence")) == {"Q4/17": 1, "Q2/17": 0}


def test_publishing_a_captioning_change_keeps_the_sequence(meeting, secretariat):
    q4 = add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    publish(meeting, secretariat)
    # Same times and room: only the captioning and the Questions change.
    q4_questions = [QuestionFactory(number=4)]
    change_session(q4, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov", captioning=True, questions=q4_questions)
    second = publish(meeting, secretariat)

    assert list(second.sessions.values_list("sequence", "captioning")) == [(0, True)]
    assert [str(q) for q in second.sessions.get().questions.all()] == ["Q4/17"]


def test_publishing_an_unchanged_time_plan_is_refused(meeting, secretariat):
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    publish(meeting, secretariat)

    with pytest.raises(services.NothingToPublish):
        publish(meeting, secretariat)


def ics_events(response):
    calendar = Calendar.from_ical(response.content)
    return {
        str(e["summary"]): (str(e["uid"]), int(e["sequence"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT")
    }


def test_ics_keeps_uids_and_raises_sequence_after_a_session_moves(client, meeting, secretariat, registrant):
    q4 = add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    add_session(meeting, secretariat, 0, "13:00", "15:00", "Q2/17")
    publish(meeting, secretariat)
    client.force_login(registrant)
    url = f"/meetings/{meeting.pk}/time-plan.ics"
    before = ics_events(client.get(url))

    change_session(q4, secretariat, 2, "14:00", "16:00", "Q4/17", "Popov")
    publish(meeting, secretariat)
    after = ics_events(client.get(url))

    assert before["Q4/17 (SG17)"][0] == after["Q4/17 (SG17)"][0] == f"session-{q4.uid}@127.0.0.1"
    assert (before["Q4/17 (SG17)"][1], after["Q4/17 (SG17)"][1]) == (0, 1)
    assert after["Q4/17 (SG17)"][2] == at(meeting, 2, "14:00")
    assert before["Q2/17 (SG17)"][:2] == after["Q2/17 (SG17)"][:2]


def test_calendar_subscription_link_works_without_login_while_the_account_is_active(
    client, meeting, secretariat, registrant
):
    from agenda.calendar import calendar_token
    from registration.models import Affiliation

    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    publish(meeting, secretariat)
    url = f"/calendars/{calendar_token(registrant, meeting)}/time-plan.ics"

    response = client.get(url)
    assert response.status_code == 200
    assert list(ics_events(response)) == ["Q4/17 (SG17)"]

    # The membership ends: the link expires with it, and stays dead when membership is confirmed again.
    Affiliation.objects.filter(user=registrant).update(state=Affiliation.State.DECLINED)
    assert client.get(url).status_code == 404
    Affiliation.objects.filter(user=registrant).update(state=Affiliation.State.APPROVED, decided_at=timezone.now())
    assert client.get(url).status_code == 404
    url = f"/calendars/{calendar_token(registrant, meeting)}/time-plan.ics"
    assert client.get(url).status_code == 200
    registrant.is_active = False
    registrant.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404
    assert client.get(url.replace("/calendars/", "/calendars/x")).status_code == 404


def test_calendar_links_are_replaced_from_the_profile_and_the_old_ones_stop(client, meeting, secretariat, registrant):
    from agenda.calendar import calendar_token

    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    publish(meeting, secretariat)
    old = f"/calendars/{calendar_token(registrant, meeting)}/time-plan.ics"
    assert client.get(old).status_code == 200

    assert client.post("/calendars/replace/").status_code == 302  # to the login page
    client.force_login(registrant)
    assert client.get("/calendars/replace/").status_code == 405
    response = client.post("/calendars/replace/", follow=True)
    assert response.redirect_chain == [("/profile/", 302)]
    assert "Your calendar links were replaced" in response.content.decode()

    assert client.get(old).status_code == 404
    new = f"/calendars/{calendar_token(registrant, meeting)}/time-plan.ics"
    assert new != old
    assert client.get(new).status_code == 200


def test_time_plan_page_shows_meeting_time_and_the_viewers_own(
    on_the_letters_dates, client, meeting, secretariat, registrant
):
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Q4/17", "Popov")
    publish(meeting, secretariat)
    registrant.time_zone = "Asia/Seoul"
    registrant.save()
    client.force_login(registrant)

    page = client.get(f"/meetings/{meeting.pk}/time-plan/").content.decode()

    assert "10:00–12:00" in page  # Geneva, summer time
    assert "Tue 24 Aug, 17:00–19:00" in page  # Seoul
    assert "Your time (Asia/Seoul)" in page
    assert zoneinfo.ZoneInfo("Asia/Seoul")
