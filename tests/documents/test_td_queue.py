import pytest
from django.urls import reverse

from documents import services, td_queue
from documents.models import Document, Kind, Scope, TdDraft, TdType
from notifications.models import OutgoingMail
from sg17portal.dates import format_date_range
from tests.documents.factories import upload


@pytest.fixture
def draft(meeting, member):
    return td_queue.submit_td_draft(meeting, files=[upload("ls.docx")], by=member, subject="LS on quantum")


def test_member_uploads_a_draft_to_the_queue(client, meeting, member):
    client.force_login(member)
    url = reverse("documents:submit_td_draft", args=[meeting.pk])
    response = client.post(url, {"subject": "Draft report", "message": "For WP2", "files": [upload("r.docx")]})
    assert response.status_code == 302
    draft = TdDraft.objects.get()
    assert (draft.channel, draft.submitted_by, draft.meeting, draft.state) == (
        TdDraft.Channel.UPLOAD,
        member,
        meeting,
        TdDraft.State.PENDING,
    )
    assert [d.subject for d in client.get(url).context["drafts"]] == ["Draft report"]


def test_secretariat_numbers_and_posts_a_draft(client, meeting, questions, draft, secretariat):
    client.force_login(secretariat)
    assert [d.pk for d in client.get(reverse("documents:td_queue")).context["drafts"]] == [draft.pk]
    response = client.post(
        draft.get_absolute_url(),
        {
            "meeting": meeting.pk,
            "td_type": TdType.LIAISON_OUTGOING,
            "scope": Scope.WP2,
            "title": "LS on quantum-safe cryptography",
            "source": "Rapporteur Q4/17",
            "questions": [questions[0].pk],
            "abstract": "",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    document = Document.objects.get()
    assert (draft.state, draft.document, document.display_name, document.kind, document.td_type) == (
        TdDraft.State.POSTED,
        document,
        "TD 1 (WP2)",
        Kind.TD,
        TdType.LIAISON_OUTGOING,
    )
    assert document.revisions.get().files.get().sha256 == draft.files.get().sha256
    told = OutgoingMail.objects.get(dedupe_key=f"documents:td-draft-posted:{draft.pk}")
    assert (told.recipient, told.subject) == (
        "delegate@example.org",
        "[ITU-T SG portal] Your draft is posted as TD 1 (WP2)",
    )
    assert list(client.get(reverse("documents:td_queue")).context["drafts"]) == []


def test_secretariat_declines_a_draft_with_a_reason(client, draft, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("documents:td_draft_decline", args=[draft.pk]), {"reason": "Send it as a contribution."}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.reason) == (TdDraft.State.DECLINED, "Send it as a contribution.")
    told = OutgoingMail.objects.get(dedupe_key=f"documents:td-draft-declined:{draft.pk}")
    assert "Reason: Send it as a contribution." in told.body_text.splitlines()


def test_a_draft_is_decided_once(meeting, draft, secretariat):
    td_queue.post_td_from_draft(draft, meeting=meeting, title="T", source="Editor", scope=Scope.PLEN, by=secretariat)
    with pytest.raises(services.DocumentError) as again:
        td_queue.decline_td_draft(draft, reason="No", by=secretariat)
    assert again.value.message == "This draft was already posted as TD 1 (PLEN)."
    with pytest.raises(services.DocumentError) as twice:
        td_queue.post_td_from_draft(
            draft, meeting=meeting, title="T", source="Editor", scope=Scope.PLEN, by=secretariat
        )
    assert twice.value.message == "This draft was already posted as TD 1 (PLEN)."
    assert Document.objects.count() == 1


def test_secretariat_posts_a_td_directly_and_a_new_revision(client, meeting, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("documents:post_td", args=[meeting.pk]),
        {
            "td_type": TdType.REPORT,
            "scope": Scope.PLEN,
            "title": "Report of WP1",
            "source": "WP1 chair",
            "files": [upload()],
        },
    )
    document = Document.objects.get()
    assert response["Location"] == document.get_absolute_url()
    response = client.post(
        reverse("documents:revise", args=[document.pk]), {"note": "Annex added", "files": [upload()]}
    )
    document.refresh_from_db()
    assert (response.status_code, document.display_name, document.td_type) == (302, "TD 1 Rev.1 (PLEN)", TdType.REPORT)


def test_posting_form_tells_meetings_of_the_same_name_apart_by_their_dates(client, meeting, draft, secretariat):
    import datetime

    from tests.factories import MeetingFactory

    later = MeetingFactory(
        study_group=meeting.study_group,
        format=meeting.format,
        first_day=meeting.first_day + datetime.timedelta(days=120),
    )
    client.force_login(secretariat)
    field = client.get(draft.get_absolute_url()).context["post_form"].fields["meeting"]
    choices = [label for _value, label in field.choices]
    assert choices[1:] == [
        f"{meeting.display_title}, {format_date_range(meeting.first_day, meeting.last_day)}",
        f"{later.display_title}, {format_date_range(later.first_day, later.last_day)}",
    ]
    assert choices[1] != choices[2]


def test_a_closed_meeting_takes_no_draft_td(client, meeting, member):
    meeting.state = meeting.State.CLOSED
    meeting.save(update_fields=["state"])
    client.force_login(member)
    url = reverse("documents:submit_td_draft", args=[meeting.pk])
    listing = client.get(reverse("documents:list", args=[meeting.pk])).content.decode()
    assert "Send a draft TD" not in listing
    assert url not in listing

    page = client.get(url)
    assert (page.status_code, page.context["form"]) == (200, None)
    assert "This meeting is closed: the secretariat no longer takes draft TDs for it." in page.content.decode()
    refused = client.post(url, {"subject": "Late draft", "message": "", "files": [upload("r.docx")]})
    assert refused.status_code == 403
    with pytest.raises(services.DocumentError) as error:
        td_queue.submit_td_draft(meeting, files=[upload("r.docx")], by=member, subject="Late draft")
    assert error.value.message == "This meeting is closed: the secretariat no longer takes draft TDs for it."
    assert TdDraft.objects.count() == 0


def test_the_sender_sees_the_td_a_draft_became_as_a_link(client, meeting, draft, secretariat, member):
    document = td_queue.post_td_from_draft(
        draft, meeting=meeting, title="LS on quantum", source="Q4/17", scope=Scope.PLEN, by=secretariat
    )
    client.force_login(member)
    page = client.get(reverse("documents:submit_td_draft", args=[meeting.pk])).content.decode()
    assert f'<a href="{document.get_absolute_url()}">{document}</a>' in page
