import datetime
import zoneinfo

import pytest
from django.urls import reverse

from documents import mailings, services, td_queue
from documents.models import DigestSubscription, Document, Scope
from meetings.models import KeyDeadline
from notifications.models import OutgoingMail
from registration.models import Registration
from tests.documents.factories import upload
from tests.factories import UserFactory, member_of

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
DAY = datetime.date(2026, 5, 20)


def mails(prefix):
    return sorted(OutgoingMail.objects.filter(dedupe_key__startswith=prefix).values_list("recipient", "subject"))


def test_receipt_names_the_number(meeting, member, entity):
    document = services.post_contribution(meeting, entity=entity, title="Zero trust", files=[upload()], by=member)
    receipt = OutgoingMail.objects.get()
    assert (receipt.recipient, receipt.subject) == ("delegate@example.org", "[ITU-T SG portal] C 1 is posted")
    assert receipt.body_text.splitlines()[:3] == ["Your document is posted as C 1:", "", "  Zero trust"]
    assert receipt.body_text.rstrip().splitlines()[-1] == f"See it at http://127.0.0.1:8000/documents/{document.pk}/"


@pytest.fixture
def registrants(meeting, entity):
    KeyDeadline.objects.filter(meeting=meeting, kind=KeyDeadline.Kind.CONTRIBUTIONS).update(day=DAY)
    people = {}
    for state in (Registration.State.APPROVED, Registration.State.PENDING, Registration.State.CANCELLED):
        person = member_of(entity, email=f"{state}@example.org")
        Registration.objects.create(meeting=meeting, delegate=person, entity=entity, state=state)
        people[state] = person
    return people


def at(day, hour, minute=0, second=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=ZURICH)


@pytest.mark.usefixtures("registrants")
def test_reminders_three_days_and_one_day_before_the_deadline_once_each(meeting):
    closes = at(DAY + datetime.timedelta(days=1), 0)
    assert mailings.send_contribution_reminders(now=closes - datetime.timedelta(days=3, seconds=1)) == 0
    assert mailings.send_contribution_reminders(now=closes - datetime.timedelta(days=3)) == 2
    assert mailings.send_contribution_reminders(now=closes - datetime.timedelta(days=2)) == 0
    assert mailings.send_contribution_reminders(now=closes - datetime.timedelta(days=1)) == 2
    assert mailings.send_contribution_reminders(now=closes - datetime.timedelta(hours=1)) == 0
    assert mailings.send_contribution_reminders(now=closes) == 0
    assert mails("documents:contributions-reminder") == [
        ("approved@example.org", "[ITU-T SG portal] Contributions close in 3 days, at the end of 20 May 2026"),
        ("approved@example.org", "[ITU-T SG portal] Contributions close within a day, at the end of 20 May 2026"),
        ("pending@example.org", "[ITU-T SG portal] Contributions close in 3 days, at the end of 20 May 2026"),
        ("pending@example.org", "[ITU-T SG portal] Contributions close within a day, at the end of 20 May 2026"),
    ]


@pytest.mark.usefixtures("registrants")
def test_reminders_sweep_first_run_in_the_last_day_sends_only_the_last_reminder(meeting):
    assert mailings.send_contribution_reminders(now=at(DAY, 9)) == 2
    assert [subject for _to, subject in mails("documents:contributions-reminder")] == [
        "[ITU-T SG portal] Contributions close within a day, at the end of 20 May 2026"
    ] * 2


def test_digest_lists_yesterdays_documents_once(meeting, member, entity, secretariat):
    reader = member_of(entity, email="reader@example.org")
    outsider = UserFactory(email="outsider@example.org")
    services.subscribe_to_digest(meeting, user=reader)
    services.subscribe_to_digest(meeting, user=outsider)
    DigestSubscription.objects.update(created_at=at(DAY - datetime.timedelta(days=5), 8))
    yesterday = DAY - datetime.timedelta(days=1)
    services.post_contribution(
        meeting, entity=entity, title="New", files=[upload()], by=member, at=at(yesterday, 23, 59, 59)
    )
    services.post_td(
        meeting, title="Too new", source="TSB", scope=Scope.PLEN, files=[upload()], by=secretariat, at=at(DAY, 0)
    )
    services.post_td(
        meeting,
        title="Too old",
        source="TSB",
        scope=Scope.PLEN,
        files=[upload()],
        by=secretariat,
        at=at(yesterday - datetime.timedelta(days=7), 12),
    )
    OutgoingMail.objects.all().delete()

    assert mailings.send_meeting_digests(now=at(DAY, 6)) == 1
    assert mailings.send_meeting_digests(now=at(DAY, 18)) == 0
    digest = OutgoingMail.objects.get()
    assert (digest.recipient, digest.subject) == (
        "reader@example.org",
        f"[ITU-T SG portal] {meeting}: 1 new or revised document",
    )
    assert "  C 1: New (Republic of Korea)" in digest.body_text.splitlines()
    assert mailings.send_meeting_digests(now=at(DAY + datetime.timedelta(days=1), 6)) == 1
    assert sorted(Document.objects.values_list("title", flat=True)) == ["New", "Too new", "Too old"]


def test_td_queue_digest_once_a_day_to_the_secretariat(meeting, member, secretariat):
    td_queue.submit_td_draft(meeting, files=[upload()], by=member, subject="Draft LS to ITU-R")
    OutgoingMail.objects.all().delete()
    assert mailings.send_td_queue_digest(now=at(DAY, 6, 59)) == 0
    assert mailings.send_td_queue_digest(now=at(DAY, 7)) == 1
    assert mailings.send_td_queue_digest(now=at(DAY, 15)) == 0
    digest = OutgoingMail.objects.get()
    assert (digest.recipient, digest.subject) == (
        "secretariat@example.org",
        "[ITU-T SG portal] 1 draft TD waits in the queue",
    )
    assert mailings.send_td_queue_digest(now=at(DAY + datetime.timedelta(days=1), 8)) == 1


@pytest.mark.usefixtures("registrants")
def test_sweep_twice_sends_nothing_twice(meeting, member, secretariat):
    td_queue.submit_td_draft(meeting, files=[upload()], by=member, subject="Draft")
    services.subscribe_to_digest(meeting, user=member)
    now = at(DAY, 9)
    first = mailings.sweep(now=now)
    count = OutgoingMail.objects.count()
    assert first == {"reminders": 2, "digests": 0, "td_queue": 1, "unconfirmed_drafts_discarded": 0}
    assert mailings.sweep(now=now) == {"reminders": 0, "digests": 0, "td_queue": 0, "unconfirmed_drafts_discarded": 0}
    assert OutgoingMail.objects.count() == count


def test_digest_subscription_open_to_anyone_signed_in(client, meeting):
    outsider = UserFactory(email="outsider@example.org")
    client.force_login(outsider)
    url = reverse("documents:digest", args=[meeting.pk])
    response = client.post(url, {"subscribe": "1", "next": f"/meetings/{meeting.pk}/"})
    assert (response.status_code, response["Location"]) == (302, f"/meetings/{meeting.pk}/")
    assert DigestSubscription.objects.filter(user=outsider, meeting=meeting).count() == 1
    response = client.post(url, {"subscribe": "0", "next": "https://elsewhere.example.net/"})
    assert response["Location"] == meeting.get_absolute_url()
    assert DigestSubscription.objects.filter(user=outsider).count() == 0


def test_the_digest_button_says_what_a_click_will_do_on_the_next_request(client, meeting, member):
    # Whether a person gets the digest is kept between requests (documents.queries.is_subscribed): each change, on
    # the meeting page or the documents list, is on the very next one.
    client.force_login(member)
    url = reverse("documents:digest", args=[meeting.pk])
    pages = [reverse("meetings:detail", args=[meeting.pk]), reverse("documents:list", args=[meeting.pk])]
    for page in pages:
        assert 'name="subscribe" value="1"' in client.get(page).content.decode()
    client.post(url, {"subscribe": "1"})
    for page in pages:
        assert 'name="subscribe" value="0"' in client.get(page).content.decode()
    client.post(url, {"subscribe": "0"})
    for page in pages:
        assert 'name="subscribe" value="1"' in client.get(page).content.decode()
    DigestSubscription.objects.create(user=member, meeting=meeting)  # as the administration pages add one
    assert 'name="subscribe" value="0"' in client.get(pages[0]).content.decode()
