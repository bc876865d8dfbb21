import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from documents import services
from documents.models import Document, Revision
from meetings.models import KeyDeadline
from notifications.models import OutgoingMail
from tests.documents.factories import upload
from tests.factories import member_of

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
DAY = datetime.date(2026, 3, 31)  # the night clocks are already on summer time: midnight is 22:00 UTC
CLOSED = (
    "The deadline “Member contributions (Direct Document Posting)” of this meeting was 31 March 2026 "
    "(until midnight, Europe/Zurich time); contributions can no longer be posted. "
    "Send yours to the secretariat, who may accept it late."
)


def set_deadline(meeting, kind, day):
    # Saved, as the secretariat's override saves it: the pages read the meeting as kept (meetings.queries.kept_meeting),
    # which every save in the meetings app replaces.
    deadline = KeyDeadline.objects.get(meeting=meeting, kind=kind)
    deadline.day = day
    deadline.save(update_fields=["day"])


@pytest.fixture
def deadline_meeting(meeting):
    set_deadline(meeting, KeyDeadline.Kind.CONTRIBUTIONS, DAY)
    return meeting


def post(meeting, entity, by, at):
    return services.post_contribution(meeting, entity=entity, title="On time?", files=[upload()], by=by, at=at)


def test_deadline_accepts_the_last_second_of_its_day(deadline_meeting, member, entity):
    at = datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=ZURICH)
    document = post(deadline_meeting, entity, member, at)
    assert (document.number, document.is_late) == (1, False)


def test_deadline_refuses_midnight_in_the_meeting_zone(deadline_meeting, member, entity):
    at = datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=ZURICH)
    with pytest.raises(services.DeadlinePassed) as refusal:
        post(deadline_meeting, entity, member, at)
    assert refusal.value.message == CLOSED
    assert Document.objects.count() == 0


def test_deadline_is_midnight_in_the_meeting_zone_not_utc(deadline_meeting, member, entity):
    """22:00:01 UTC on the deadline day is already the next day in Geneva."""
    with pytest.raises(services.DeadlinePassed):
        post(deadline_meeting, entity, member, datetime.datetime(2026, 3, 31, 22, 0, 1, tzinfo=datetime.UTC))
    assert post(deadline_meeting, entity, member, datetime.datetime(2026, 3, 31, 21, 59, 59, tzinfo=datetime.UTC))


def test_deadline_refusal_is_shown_on_the_form(client, meeting, member, entity):
    set_deadline(meeting, KeyDeadline.Kind.CONTRIBUTIONS, timezone.now().date() - datetime.timedelta(days=2))
    client.force_login(member)
    url = reverse("documents:post_contribution", args=[meeting.pk])
    deadline = KeyDeadline.objects.get(meeting=meeting, kind=KeyDeadline.Kind.CONTRIBUTIONS)
    response = client.post(url, {"entity": entity.pk, "title": "Late", "files": [upload()]})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        services.deadline_message(
            deadline,
            what="contributions can no longer be posted. Send yours to the secretariat, who may accept it late.",
        )
    ]
    assert Document.objects.count() == 0


def test_late_acceptance_by_the_secretariat_marks_late_everywhere(
    client, deadline_meeting, entity, secretariat, mailoutbox
):
    at = datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=ZURICH)
    document = post(deadline_meeting, entity, secretariat, at)
    assert (document.is_late, document.revisions.get().is_late, document.source) == (True, True, entity.name)

    client.force_login(secretariat)
    listing = client.get(reverse("documents:contributions", args=[deadline_meeting.pk]))
    page = client.get(document.get_absolute_url())
    assert [row.is_late for row in listing.context["rows"]] == [True]
    assert listing.content.decode().count('<span class="badge text-bg-warning">late</span>') == 1
    assert page.content.decode().count('<span class="badge text-bg-warning">late</span>') == 2  # title, revision
    receipt = OutgoingMail.objects.get(dedupe_key=f"documents:receipt:{document.pk}:0")
    assert receipt.subject == "[ITU-T SG portal] C 1 is posted"
    assert "It was accepted after the deadline and is marked late." in receipt.body_text.splitlines()


def test_revision_by_the_same_entity_until_the_deadline(deadline_meeting, member, entity):
    document = post(deadline_meeting, entity, member, datetime.datetime(2026, 3, 30, 12, tzinfo=ZURICH))
    colleague = member_of(entity)
    revision = services.add_revision(
        document, files=[upload()], by=colleague, at=datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=ZURICH)
    )
    assert (revision.number, revision.is_late, revision.display_name) == (1, False, "C 1 Rev.1")
    with pytest.raises(services.DeadlinePassed) as refusal:
        services.add_revision(
            document, files=[upload()], by=colleague, at=datetime.datetime(2026, 4, 1, 0, 0, tzinfo=ZURICH)
        )
    assert refusal.value.message == (
        "The deadline “Member contributions (Direct Document Posting)” of this meeting was 31 March 2026 "
        "(until midnight, Europe/Zurich time); only the secretariat can add revisions now."
    )


def test_revision_after_the_deadline_by_the_secretariat_is_late(deadline_meeting, member, entity, secretariat):
    document = post(deadline_meeting, entity, member, datetime.datetime(2026, 3, 30, 12, tzinfo=ZURICH))
    revision = services.add_revision(
        document, files=[upload()], by=secretariat, at=datetime.datetime(2026, 4, 2, 9, tzinfo=ZURICH)
    )
    document.refresh_from_db()
    assert (revision.is_late, document.latest_revision, document.is_late) == (True, 1, False)


def test_revision_by_another_entity_refused(meeting, member, entity, other_member):
    document = services.post_contribution(meeting, entity=entity, title="T", files=[upload()], by=member)
    with pytest.raises(services.DocumentError) as refusal:
        services.add_revision(document, files=[upload()], by=other_member)
    assert refusal.value.message == "You may not revise C 1."
    assert Revision.objects.filter(document=document).count() == 1


def test_translation_offered_only_until_its_deadline(client, meeting, member, entity):
    url = reverse("documents:post_contribution", args=[meeting.pk])
    client.force_login(member)
    assert "translation_requested" in client.get(url).context["form"].fields

    set_deadline(meeting, KeyDeadline.Kind.TRANSLATION, timezone.now().date() - datetime.timedelta(days=1))
    assert "translation_requested" not in client.get(url).context["form"].fields
    with pytest.raises(services.DeadlinePassed) as refusal:
        services.post_contribution(
            meeting, entity=entity, title="T", files=[upload()], by=member, translation_requested=True
        )
    assert refusal.value.message.endswith("translation can no longer be requested.")


def test_translation_request_kept_before_its_deadline(meeting, member, entity):
    document = services.post_contribution(
        meeting, entity=entity, title="T", files=[upload()], by=member, translation_requested=True
    )
    assert document.translation_requested is True


def test_withdrawal_by_the_poster_or_the_secretariat_only(meeting, member, entity, secretariat):
    colleague = member_of(entity)
    first = services.post_contribution(meeting, entity=entity, title="A", files=[upload()], by=member)
    second = services.post_contribution(meeting, entity=entity, title="B", files=[upload()], by=member)
    with pytest.raises(services.DocumentError) as refusal:
        services.withdraw_document(first, by=colleague)
    assert refusal.value.message == "Only the poster or the secretariat may withdraw C 1."
    services.withdraw_document(first, by=member, reason="Superseded")
    services.withdraw_document(second, by=secretariat)
    assert list(Document.objects.order_by("number").values_list("number", "withdrawal_reason")) == [
        (1, "Superseded"),
        (2, ""),
    ]
    with pytest.raises(services.DocumentError) as again:
        services.withdraw_document(first, by=secretariat)
    assert again.value.message == "C 1 was already withdrawn."


def test_contribution_form_shows_each_question_with_its_title(client, meeting, member, questions):
    questions[0].title = "Security architecture and network security"
    questions[0].save()
    client.force_login(member)
    form = client.get(reverse("documents:post_contribution", args=[meeting.pk])).context["form"]
    labels = [label for _value, label in form.fields["questions"].choices]
    assert labels == [
        "Q4/17: Security architecture and network security",
        "Q6/17: Question 6",
        "Q11/17: Question 11",
    ]


def test_a_changed_deadline_applies_to_the_next_revision(meeting, member, entity):
    """A revision checks the deadline of the meeting as kept, as a posting does: the secretariat's override replaces
    it, so the very next revision is refused, or accepted again."""
    at = datetime.datetime(2026, 3, 31, 12, tzinfo=ZURICH)
    set_deadline(meeting, KeyDeadline.Kind.CONTRIBUTIONS, DAY)
    document = post(meeting, entity, member, at)
    assert services.add_revision(document, files=[upload()], by=member, at=at).number == 1

    set_deadline(meeting, KeyDeadline.Kind.CONTRIBUTIONS, DAY - datetime.timedelta(days=1))
    with pytest.raises(services.DeadlinePassed):
        services.add_revision(document, files=[upload()], by=member, at=at)

    set_deadline(meeting, KeyDeadline.Kind.CONTRIBUTIONS, DAY)
    assert services.add_revision(document, files=[upload()], by=member, at=at).number == 2


def test_the_revision_form_reads_the_document_row_alone(client, meeting, member, entity, django_assert_num_queries):
    """The form shows the document's own fields; its meeting, study group and period come as kept."""
    document = services.post_contribution(meeting, entity=entity, title="Revise me", files=[upload()], by=member)
    client.force_login(member)
    url = reverse("documents:revise", args=[document.pk])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(1) as read:
        page = client.get(url).content.decode()
    assert "Revise me" in page
    assert "JOIN" not in read.captured_queries[0]["sql"]
