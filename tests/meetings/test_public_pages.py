import datetime
import zoneinfo
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import extensions
from meetings.models import Meeting
from meetings.services import save_meeting
from tests.factories import MeetingFactory, StudyGroupFactory
from tests.kept import forget_kept_answers
from tests.meetings.factories import SideEventFactory, geneva

D = datetime.date
pytestmark = pytest.mark.django_db


def _today():
    return timezone.now().astimezone(zoneinfo.ZoneInfo("Europe/Zurich")).date()


def _meeting_in(days: int, **fields) -> Meeting:
    first_day = _today() + datetime.timedelta(days=days)
    return MeetingFactory(first_day=first_day, last_day=first_day + datetime.timedelta(days=4), **fields)


def test_study_group_page_upcoming_soonest_first_then_past_latest_first(client):
    later, sooner = _meeting_in(200), _meeting_in(60)
    old, older = _meeting_in(-300), _meeting_in(-700)
    running = _meeting_in(-2)
    _meeting_in(30, state=Meeting.State.DRAFT)
    response = client.get(reverse("meetings:study_group", kwargs={"number": 17}))
    assert response.context["upcoming"] == [running, sooner, later]
    assert response.context["past"] == [old, older]
    html = response.content.decode()
    assert html.index(f'href="/meetings/{later.pk}/"') < html.index(f'href="/meetings/{old.pk}/"')


def test_study_group_page_shows_contact_and_questions(client):
    group = StudyGroupFactory()
    group.questions.create(number=2, title="Security architecture and network security")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "tsbsg17@itu.int" in html
    assert "+41 22 730 6206" in html
    assert "Q2/17</span> Security architecture and network security" in html


def test_study_group_page_query_count_fixed(client, django_assert_num_queries):
    _meeting_in(30)
    url = reverse("meetings:study_group", kwargs={"number": 17})
    # study group, its Questions, its meetings
    with django_assert_num_queries(3):
        client.get(url)
    for days in (-400, -200, 90, 300):
        _meeting_in(days)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert (len(response.context["upcoming"]), len(response.context["past"])) == (3, 2)


def test_index_lists_study_groups_with_upcoming_meetings_only(client):
    upcoming = _meeting_in(40)
    past = _meeting_in(-40)
    response = client.get(reverse("meetings:index"))
    [group] = response.context["study_groups"]
    assert group.upcoming_meetings == [upcoming]
    assert f"/meetings/{past.pk}/" not in response.content.decode()


def test_index_query_count_fixed(client, django_assert_num_queries):
    _meeting_in(40)
    with django_assert_num_queries(2):
        client.get(reverse("meetings:index"))
    for number in (2, 3, 5):
        for days in (20, 50):
            _meeting_in(days, study_group=StudyGroupFactory(number=number, title=f"Group {number}"))
    with django_assert_num_queries(2):
        response = client.get(reverse("meetings:index"))
    assert [len(g.upcoming_meetings) for g in response.context["study_groups"]] == [2, 2, 2, 1]


def test_home_page_shows_study_groups_and_their_upcoming_meetings(client):
    upcoming = _meeting_in(40)
    past = _meeting_in(-40)
    html = client.get(reverse("home")).content.decode()
    assert "ITU-T Study Group 17 (Security)" in html
    assert f'href="/meetings/{upcoming.pk}/"' in html
    assert f'href="/meetings/{past.pk}/"' not in html


def test_home_page_query_count_fixed(client, django_assert_num_queries):
    _meeting_in(40)
    with django_assert_num_queries(2):
        client.get(reverse("home"))
    for number in (2, 3):
        _meeting_in(20, study_group=StudyGroupFactory(number=number, title=f"Group {number}"))
        _meeting_in(50, study_group=StudyGroupFactory(number=number, title=f"Group {number}"))
    with django_assert_num_queries(2):
        client.get(reverse("home"))


def test_nav_links_to_the_meetings(client, db):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("meetings:index")}">Meetings</a>' in html


def test_secretariat_menu_has_meeting_entries(client, secretariat):
    client.force_login(secretariat)
    html = client.get(reverse("home")).content.decode()
    assert f'<a class="dropdown-item" href="{reverse("meetings:manage_list")}">Meetings</a>' in html
    assert f'<a class="dropdown-item" href="{reverse("meetings:create")}">New meeting</a>' in html


def test_meeting_page_dates_format_and_hours_in_meeting_zone(client):
    meeting = MeetingFactory()
    response = client.get(meeting.get_absolute_url())
    html = response.content.decode()
    assert "Virtual meeting of Study Group 17, 24 August – 3 September 2021" in html
    assert "10:00-16:00 Geneva time" in html
    assert "remote participation with MyMeetings" in html


def test_meeting_page_hours_in_viewer_zone_when_logged_in(client, delegate):
    delegate.time_zone = "Asia/Seoul"
    delegate.save()
    client.force_login(delegate)
    response = client.get(MeetingFactory().get_absolute_url())
    assert [run.text for run in response.context["viewer_hours"]] == ["17:00-23:00"]
    assert response.context["viewer_zone_name"] == "Asia/Seoul"
    assert "17:00-23:00" in response.content.decode()


def test_meeting_page_hours_past_midnight_in_viewer_zone_marked(client, delegate):
    delegate.time_zone = "Pacific/Auckland"
    delegate.save()
    client.force_login(delegate)
    response = client.get(MeetingFactory().get_absolute_url())
    assert [run.text for run in response.context["viewer_hours"]] == ["20:00-02:00 (+1 day)"]


def test_meeting_page_hours_in_utc_for_anonymous(client):
    response = client.get(MeetingFactory().get_absolute_url())
    assert [run.text for run in response.context["viewer_hours"]] == ["08:00-14:00"]
    assert response.context["viewer_zone_name"] == "UTC"


def test_meeting_page_same_zone_says_so(client, delegate):
    client.force_login(delegate)  # Europe/Zurich, the default
    response = client.get(MeetingFactory().get_absolute_url())
    assert response.context["viewer_same_hours"] is True


def test_meeting_page_viewer_hours_split_at_daylight_saving_change(client, delegate):
    # New York is on summer time from 14 March 2027, Geneva only from 28 March.
    delegate.time_zone = "America/New_York"
    delegate.save()
    client.force_login(delegate)
    meeting = MeetingFactory(first_day=D(2027, 3, 23), last_day=D(2027, 4, 1))
    runs = client.get(meeting.get_absolute_url()).context["viewer_hours"]
    assert [(r.first_day, r.last_day, r.text) for r in runs] == [
        (D(2027, 3, 23), D(2027, 3, 26), "05:00-11:00"),
        (D(2027, 3, 29), D(2027, 4, 1), "04:00-10:00"),
    ]


def test_meeting_page_deadlines_passed(client):
    response = client.get(MeetingFactory().get_absolute_url())
    assert [row["status"].text for row in response.context["deadlines"]] == ["passed", "passed", "passed"]


def test_meeting_page_deadlines_days_left(client):
    meeting = _meeting_in(100, format=Meeting.Format.PHYSICAL, venue="ITU headquarters, Geneva")
    response = client.get(meeting.get_absolute_url())
    today = _today()
    expected = [f"{(d.day - today).days} days left" for d in meeting.deadlines.order_by("day", "kind")]
    assert [row["status"].text for row in response.context["deadlines"]] == expected
    assert expected[0] in response.content.decode()


def test_meeting_page_side_events_with_separate_registration(client):
    meeting = MeetingFactory()
    SideEventFactory(meeting=meeting)
    SideEventFactory(
        meeting=meeting,
        title="28th JCA-IdM meeting",
        kind="jca",
        starts_at=geneva(D(2021, 8, 27), 14, 30),
        ends_at=geneva(D(2021, 8, 27), 16),
        registration_url="https://www.itu.int/net4/CRM/xreg/web/Registration.aspx?Event=C-00009903",
    )
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Monday 23 August 2021, 10:00-11:00 Geneva time" in html
    assert "Friday 27 August 2021, 14:30-16:00 Geneva time" in html
    assert 'href="https://www.itu.int/net4/CRM/xreg/web/Registration.aspx?Event=C-00009903"' in html


def test_meeting_page_links_letter_and_calendar(client):
    meeting = MeetingFactory(letter_reference="TSB Collective letter 12/17", letter_date=D(2021, 5, 21))
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "TSB Collective letter 12/17, 21 May 2021" in html
    assert f'href="/meetings/{meeting.pk}/letter/"' in html
    assert f'href="/meetings/{meeting.pk}/letter.pdf"' in html
    assert f'href="webcal://testserver/meetings/{meeting.pk}/calendar.ics"' in html


def test_meeting_page_does_not_show_join_details_to_the_public(client):
    meeting = MeetingFactory()
    assert meeting.join_details not in client.get(meeting.get_absolute_url()).content.decode()


@pytest.fixture
def registered_section(settings, monkeypatch):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]}
    ]
    monkeypatch.setattr(extensions, "_sections", [])
    extensions.add_meeting_page_section("tests_meetings/section.html", order=10)


def test_meeting_page_renders_sections_other_apps_registered(client, delegate, registered_section):
    meeting = MeetingFactory()
    client.force_login(delegate)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert (
        f'<section id="test-section">Section for meeting {meeting.pk} seen by delegate@example.org '
        f"on /meetings/{meeting.pk}/</section>"
    ) in html


def test_meeting_page_query_count_fixed_anonymous(client, django_assert_num_queries):
    meeting = MeetingFactory()
    SideEventFactory(meeting=meeting)
    # meeting with study group and period, deadlines, side events, addenda
    with django_assert_num_queries(4):
        client.get(meeting.get_absolute_url())
    for hour in (9, 12, 14, 16):
        SideEventFactory(meeting=meeting, starts_at=geneva(D(2021, 8, 25), hour))
    meeting.format, meeting.venue = Meeting.Format.PHYSICAL, "Geneva"
    save_meeting(meeting)
    with django_assert_num_queries(4):
        response = client.get(meeting.get_absolute_url())
    assert (len(response.context["side_events"]), len(response.context["deadlines"])) == (5, 5)


def test_meeting_page_query_count_fixed_logged_in(client, delegate, django_assert_num_queries):
    meeting = MeetingFactory()
    client.force_login(delegate)
    # user, meeting, deadlines, side events, addenda, the user's groups (no model permissions: not staff),
    # then the sections of the apps built on meetings: the person's registration and membership, whether they
    # may send draft TDs, and the documents digest subscription
    # + the approvals menu badge
    forget_kept_answers()
    with django_assert_num_queries(10):
        client.get(meeting.get_absolute_url())
    for hour in (9, 12, 14, 16):
        SideEventFactory(meeting=meeting, starts_at=geneva(D(2021, 8, 25), hour))
    forget_kept_answers()
    with django_assert_num_queries(10):
        client.get(meeting.get_absolute_url())


SCRIPT = "<script>alert(1)</script>"


def test_meeting_page_escapes_markup_in_titles_and_letter_text(client):
    meeting = MeetingFactory(title=f"Meeting {SCRIPT}", draft_agenda=f"1. Opening {SCRIPT}")
    SideEventFactory(meeting=meeting, title=f"Tutorial {SCRIPT}")

    pages = [
        client.get(url).content.decode() for url in (meeting.get_absolute_url(), f"/meetings/{meeting.pk}/letter/")
    ]

    assert [page.count("<script>alert") for page in pages] == [0, 0]
    assert [page.count("Tutorial &lt;script&gt;alert(1)&lt;/script&gt;") for page in pages] == [1, 1]
    assert pages[1].count("Opening &lt;script&gt;alert(1)&lt;/script&gt;") == 1
