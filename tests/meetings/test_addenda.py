"""An announced meeting changes by addendum: its letter stays as issued, "Addendum N to TSB Collective letter X"
says what changed, registrants are told once, and the calendar moves with it."""

import datetime
import subprocess

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation

from meetings import services
from meetings.addenda import change_words
from meetings.models import KeyDeadline, LetterIssue, Meeting, SideEvent
from notifications.models import OutgoingMail
from registration.models import Registration
from tests.factories import MeetingFactory, RegistrationFactory, UserFactory, open_meeting
from tests.meetings.factories import SideEventFactory, geneva

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def announced(secretariat):
    """A draft meeting three months ahead, announced through the service."""
    meeting = open_meeting(state=Meeting.State.DRAFT, signatory="Seizo Onoe", signatory_title="Director of TSB")
    return services.announce_meeting(meeting, by=secretariat)


def registration_deadline(meeting) -> KeyDeadline:
    return meeting.deadlines.get(kind=KeyDeadline.Kind.REGISTRATION)


def letter_page(client, meeting) -> str:
    response = client.get(reverse("meetings:letter", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    return response.content.decode()


def day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


def test_moving_a_deadline_of_an_announced_meeting_keeps_the_letter_as_issued(client, announced, secretariat):
    """Bug 4: the letter was silently rewritten under the same reference and date."""
    deadline = registration_deadline(announced)
    issued_day = deadline.day
    new_day = issued_day - datetime.timedelta(days=7)

    services.override_key_deadline(deadline, day=new_day, reason="Host country visa rules", by=secretariat)

    page = letter_page(client, announced)
    assert day(issued_day) in page
    assert day(new_day) not in page
    assert f"Addendum 1 to {announced.letter_reference}" in page


def test_letter_says_the_registration_deadline_day_not_one_month_before(client, announced):
    page = letter_page(client, announced)

    assert f"via the study group homepage by {day(registration_deadline(announced).day)} at the latest" in page
    assert "at least one month before" not in page


def test_addendum_lists_what_changed_with_its_number_and_reference(announced, secretariat):
    deadline = registration_deadline(announced)
    old_day = deadline.day

    first = services.override_key_deadline(
        deadline, day=old_day - datetime.timedelta(days=3), reason="r", by=secretariat
    )
    announced.refresh_from_db()
    announced.session_start = datetime.time(9, 30)
    services.save_meeting(announced, by=secretariat)

    addenda = list(LetterIssue.objects.filter(meeting=announced, number__gt=0).order_by("number"))
    assert [a.reference for a in addenda] == [
        f"Addendum 1 to {announced.letter_reference}",
        f"Addendum 2 to {announced.letter_reference}",
    ]
    assert addenda[0].changes == [
        {
            "key": "deadline:registration",
            "before_value": old_day.isoformat(),
            "after_value": first.day.isoformat(),
            "what": "Deadline: Registration",
            "before": day(old_day),
            "after": day(first.day),
        }
    ]
    assert [change_words(change) for change in addenda[1].changes] == [
        {"what": "Daily hours", "before": "10:00-16:00 Geneva time", "after": "09:30-16:00 Geneva time"},
    ]
    with translation.override("fr"):  # kept as data, worded in the reader's language
        french = change_words(addenda[1].changes[0])
    assert french["before"].startswith("10:00-16:00")
    assert french["what"] != "Daily hours"
    assert (addenda[0].signatory, addenda[0].issued_by) == ("Seizo Onoe", secretariat)


def test_going_hybrid_lists_the_venue_and_the_deadlines_it_brings(announced, secretariat):
    announced.venue, announced.format = "Geneva, ITU headquarters", Meeting.Format.HYBRID

    services.save_meeting(announced, by=secretariat)

    changes = LetterIssue.objects.get(meeting=announced, number=1).changes
    assert change_words(changes[0]) == {
        "what": "Venue",
        "before": "virtual meeting",
        "after": "Geneva, ITU headquarters",
    }
    assert sorted(c["what"] for c in changes[1:]) == [
        "Deadline: Fellowship requests",
        "Deadline: Visa support requests",
    ]
    assert {c["before"] for c in changes[1:]} == {"(none)"}


def test_moving_the_dates_lists_dates_and_every_computed_deadline(announced, secretariat):
    announced.first_day += datetime.timedelta(days=7)
    announced.last_day += datetime.timedelta(days=7)

    services.save_meeting(announced, by=secretariat)

    addendum = LetterIssue.objects.get(meeting=announced, number=1)
    whats = [change["what"] for change in addendum.changes]
    assert whats[0] == "Dates"
    assert sorted(whats[1:]) == sorted(f"Deadline: {d.get_kind_display()}" for d in announced.deadlines.all())


def test_change_that_the_letter_does_not_state_issues_no_addendum(announced, secretariat):
    announced.practical_information = "Bring a laptop."
    services.save_meeting(announced, by=secretariat)
    deadline = registration_deadline(announced)
    services.override_key_deadline(deadline, day=deadline.day, reason="Confirmed as computed", by=secretariat)

    assert LetterIssue.objects.filter(meeting=announced, number__gt=0).count() == 0


def test_changes_to_a_draft_meeting_issue_nothing(secretariat):
    draft = open_meeting(state=Meeting.State.DRAFT)
    draft.first_day += datetime.timedelta(days=7)
    draft.last_day += datetime.timedelta(days=7)

    services.save_meeting(draft, by=secretariat)

    assert LetterIssue.objects.filter(meeting=draft).count() == 0


def test_refused_change_issues_no_addendum_and_keeps_nothing(announced, secretariat):
    from django.core.exceptions import ValidationError

    deadline = registration_deadline(announced)
    with pytest.raises(ValidationError):
        services.override_key_deadline(deadline, day=announced.first_day, reason="too late", by=secretariat)

    assert list(LetterIssue.objects.filter(meeting=announced).values_list("number", flat=True)) == [0]
    assert OutgoingMail.objects.count() == 0


def test_registrants_are_told_once_each_and_others_not(announced, secretariat):
    pending = RegistrationFactory(meeting=announced, state=Registration.State.PENDING).delegate
    approved = RegistrationFactory(meeting=announced, state=Registration.State.APPROVED).delegate
    RegistrationFactory(meeting=announced, state=Registration.State.CANCELLED)
    RegistrationFactory(meeting=MeetingFactory(), state=Registration.State.APPROVED)
    UserFactory()
    deadline = registration_deadline(announced)

    services.override_key_deadline(deadline, day=deadline.day - datetime.timedelta(days=2), reason="r", by=secretariat)
    addendum = LetterIssue.objects.get(meeting=announced, number=1)
    # The same change again is no change: nothing more is queued.
    services.override_key_deadline(deadline, day=deadline.day - datetime.timedelta(days=2), reason="r", by=secretariat)

    mails = OutgoingMail.objects.order_by("recipient")
    assert sorted(m.recipient for m in mails) == sorted([pending.email, approved.email])
    assert {m.dedupe_key for m in mails} == {
        f"meetings:addendum:{addendum.pk}:{pending.email}",
        f"meetings:addendum:{addendum.pk}:{approved.email}",
    }
    mail = mails[0]
    assert addendum.reference in mail.subject
    assert "Deadline: Registration:" in mail.body_text
    assert f"/meetings/{announced.pk}/letter/addendum-1/" in mail.body_text


def test_addendum_page_and_pdf_are_public_and_say_what_changed(client, announced, secretariat, tmp_path):
    deadline = registration_deadline(announced)
    old_day = deadline.day
    services.override_key_deadline(deadline, day=old_day - datetime.timedelta(days=5), reason="r", by=secretariat)

    page = client.get(reverse("meetings:addendum", kwargs={"pk": announced.pk, "number": 1})).content.decode()
    pdf = client.get(reverse("meetings:addendum_pdf", kwargs={"pk": announced.pk, "number": 1}))
    (tmp_path / "addendum.pdf").write_bytes(pdf.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", tmp_path / "addendum.pdf", "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )

    for content in (page, text):
        assert f"Addendum 1 to {announced.letter_reference}" in content
        assert day(old_day) in content
        assert day(old_day - datetime.timedelta(days=5)) in content
        assert "Seizo Onoe" in content
    assert client.get(reverse("meetings:addendum", kwargs={"pk": announced.pk, "number": 2})).status_code == 404


def test_original_letter_pdf_is_the_letter_as_issued(client, announced, secretariat, tmp_path):
    deadline = registration_deadline(announced)
    issued_day = deadline.day
    services.override_key_deadline(deadline, day=issued_day - datetime.timedelta(days=5), reason="r", by=secretariat)

    pdf = client.get(reverse("meetings:letter_pdf", kwargs={"pk": announced.pk}))
    (tmp_path / "letter.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", tmp_path / "letter.pdf", "-"], capture_output=True, check=True, text=True)

    assert day(issued_day) in " ".join(text.stdout.split())
    assert day(issued_day - datetime.timedelta(days=5)) not in " ".join(text.stdout.split())


def test_meeting_announced_before_letters_were_kept_gets_its_letter_kept_at_the_first_change(announced, secretariat):
    LetterIssue.objects.filter(meeting=announced).delete()
    deadline = registration_deadline(announced)
    issued_day = deadline.day

    services.override_key_deadline(deadline, day=issued_day - datetime.timedelta(days=5), reason="r", by=secretariat)

    kept = LetterIssue.objects.get(meeting=announced, number=0)
    assert day(issued_day) in kept.body_html
    assert kept.reference == announced.letter_reference


def test_calendar_moves_with_the_addendum(client, announced, secretariat):
    url = reverse("meetings:calendar", kwargs={"pk": announced.pk})

    def deadline_event():
        calendar = icalendar.Calendar.from_ical(client.get(url).content)
        return next(e for e in calendar.walk("VEVENT") if "registration" in str(e["uid"]))

    before = deadline_event()
    deadline = registration_deadline(announced)
    services.override_key_deadline(deadline, day=deadline.day - datetime.timedelta(days=5), reason="r", by=secretariat)
    after = deadline_event()

    assert str(before["uid"]) == str(after["uid"])
    assert (int(before["sequence"]), int(after["sequence"])) == (0, 1)
    assert after.decoded("dtstart").date() == deadline.day - datetime.timedelta(days=5)


def test_secretariat_is_told_which_addendum_the_change_issued(client, announced, secretariat):
    client.force_login(secretariat)
    deadline = registration_deadline(announced)

    response = client.post(
        reverse("meetings:deadline_override", kwargs={"pk": announced.pk, "kind": deadline.kind}),
        {"day": (deadline.day - datetime.timedelta(days=4)).isoformat(), "reason": "Host country rules"},
        follow=True,
    )

    assert f"Addendum 1 to {announced.letter_reference} was issued" in response.content.decode()


def test_meeting_page_lists_the_addenda(client, announced, secretariat):
    deadline = registration_deadline(announced)
    services.override_key_deadline(deadline, day=deadline.day - datetime.timedelta(days=4), reason="r", by=secretariat)

    page = client.get(announced.get_absolute_url()).content.decode()

    assert f'href="/meetings/{announced.pk}/letter/addendum-1/"' in page


def test_adding_moving_and_cancelling_a_side_event_of_an_announced_meeting_issues_addenda(announced, secretariat):
    """The letter names its side events: a change to them is a change to the letter."""
    event = SideEvent(
        meeting=announced,
        title="SG17 Overview for Newcomers",
        kind=SideEvent.Kind.TUTORIAL,
        starts_at=geneva(announced.first_day - datetime.timedelta(days=1), 10),
        ends_at=geneva(announced.first_day - datetime.timedelta(days=1), 11),
    )
    services.save_side_event(event, by=secretariat)
    event.starts_at, event.ends_at = event.starts_at + HOUR, event.ends_at + HOUR
    services.save_side_event(event, by=secretariat)
    services.delete_side_event(event, by=secretariat)

    addenda = LetterIssue.objects.filter(meeting=announced, number__gt=0).order_by("number")
    worded = [[change_words(change) for change in addendum.changes] for addendum in addenda]
    the_day = announced.first_day - datetime.timedelta(days=1)
    when = f"{the_day:%A} {day(the_day)}"
    assert worded == [
        [
            {
                "what": "Side event: SG17 Overview for Newcomers",
                "before": "(none)",
                "after": f"{when}, 10:00-11:00 Geneva time",
            }
        ],
        [
            {
                "what": "Side event: SG17 Overview for Newcomers",
                "before": f"{when}, 10:00-11:00 Geneva time",
                "after": f"{when}, 11:00-12:00 Geneva time",
            }
        ],
        [
            {
                "what": "Side event: SG17 Overview for Newcomers",
                "before": f"{when}, 11:00-12:00 Geneva time",
                "after": "(cancelled)",
            }
        ],
    ]


def test_side_events_of_a_draft_meeting_issue_nothing(secretariat):
    draft = open_meeting(state=Meeting.State.DRAFT)
    event = SideEventFactory(meeting=draft)
    services.save_side_event(event, by=secretariat)
    services.delete_side_event(event, by=secretariat)
    assert not LetterIssue.objects.filter(meeting=draft).exists()
