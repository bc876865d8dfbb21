"""Mailed draft TDs cannot be forged: a spoofed From: never reaches the queue without its owner's say-so."""

import datetime
import re
from email.message import EmailMessage

import pytest
from django.test import Client

from documents import queries
from documents.mail_ingest import Outcome, authenticated_by_mta, ingest_td_mail
from documents.models import TdDraft
from notifications.models import OutgoingMail
from tests.documents.factories import DOCX, docx_bytes
from tests.factories import member_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def mail(*, sender, subject="Draft TD: X.1234", message_id="<1@mail.example.org>", docx=True, headers=None):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "tsbsg17-td@itu.int"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content("Dear secretariat,\nplease find our draft TD attached.\n")
    if docx:
        message.add_attachment(docx_bytes(), maintype="application", subtype=DOCX.split("/")[1], filename="x.docx")
    return message


def confirmation_link(to: str) -> str:
    body = OutgoingMail.objects.get(recipient=to, dedupe_key__startswith="documents:td-draft-confirm:").body_text
    return re.search(r"http://\S+/td-drafts/confirm/\S+/", body).group(0).removeprefix("http://127.0.0.1:8000")


@pytest.mark.django_db
def test_spoofed_from_of_a_member_is_held_and_only_the_member_can_put_it_in_the_queue(entity):
    member = member_of(entity, email="rapporteur@example.org")
    result = ingest_td_mail(mail(sender="Ana Silva <rapporteur@example.org>").as_bytes())

    draft = result.draft
    assert (result.outcome, draft.state, draft.submitted_by) == (Outcome.HELD, TdDraft.State.UNCONFIRMED, None)
    assert list(queries.pending_td_drafts()) == []
    # The only mail goes to the real owner of the address, not to whoever wrote the From: line.
    [confirm] = OutgoingMail.objects.all()
    assert (confirm.recipient, confirm.subject) == (
        "rapporteur@example.org",
        "[ITU-T SG portal] Confirm your draft TD: Draft TD: X.1234",
    )
    assert "nothing is queued without your confirmation" in confirm.body_text

    link = confirmation_link("rapporteur@example.org")
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200
    TdDraft.objects.get(pk=draft.pk, state=TdDraft.State.UNCONFIRMED)  # opening the link changes nothing
    assert visitor.post(link).status_code == 302

    draft.refresh_from_db()
    assert (draft.state, draft.submitted_by, draft.confirmation_digest) == (TdDraft.State.PENDING, member, "")
    assert draft.note.startswith("Sender confirmed by the link mailed to rapporteur@example.org on ")
    assert list(queries.pending_td_drafts()) == [draft]
    assert OutgoingMail.objects.filter(
        recipient="rapporteur@example.org", subject="[ITU-T SG portal] Your draft TD is in the secretariat's queue"
    ).exists()
    # The link is spent.
    assert visitor.get(link).status_code == 404
    assert visitor.post(link).status_code == 404


@pytest.mark.django_db
def test_an_unconfirmed_draft_cannot_be_posted_and_its_link_expires(client, secretariat, settings):
    draft = ingest_td_mail(mail(sender="someone@example.net").as_bytes()).draft
    client.force_login(secretariat)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Number and post" not in page
    assert "Waiting for the sender&#x27;s confirmation" in page

    link = confirmation_link("someone@example.net")
    settings.TD_MAIL_CONFIRMATION_DAYS = 0
    assert Client().post(link).status_code == 404
    assert TdDraft.objects.get().state == TdDraft.State.UNCONFIRMED


@pytest.mark.django_db
def test_a_trusted_receiving_server_vouching_for_the_domain_queues_at_once(settings, entity):
    settings.TD_MAIL_TRUSTED_AUTHSERV_IDS = ["mx.itu.int"]
    member = member_of(entity, email="rapporteur@example.org")
    verdict = "mx.itu.int; spf=fail smtp.mailfrom=x@else.net; dkim=pass header.d=example.org header.s=s1"
    result = ingest_td_mail(
        mail(sender="rapporteur@example.org", headers={"Authentication-Results": verdict}).as_bytes()
    )

    assert (result.outcome, result.draft.state, result.draft.submitted_by) == (
        Outcome.QUEUED,
        TdDraft.State.PENDING,
        member,
    )
    assert result.draft.note == (
        "Sender authenticated by the receiving mail server (mx.itu.int: dkim=pass header.d=example.org header.s=s1)."
    )
    assert OutgoingMail.objects.get().subject == "[ITU-T SG portal] Your draft TD is in the secretariat's queue"


@pytest.mark.parametrize(
    ("trusted", "headers", "vouched"),
    [
        ([], ["mx.itu.int; dkim=pass header.d=example.org"], False),  # nobody configured: nobody trusted
        (["mx.itu.int"], ["evil.example; dkim=pass header.d=example.org"], False),  # an untrusted host
        (["mx.itu.int"], ["mx.itu.int; dkim=pass header.d=attacker.net"], False),  # signed by another domain
        (["mx.itu.int"], ["mx.itu.int; spf=pass smtp.mailfrom=a@attacker.net"], False),
        (["mx.itu.int"], ["mx.itu.int; dkim=fail header.d=example.org; spf=softfail"], False),
        # The sender's own header below the receiving server's one counts for nothing.
        (["mx.itu.int"], ["mx.itu.int; dkim=none", "mx.itu.int; dkim=pass header.d=example.org"], False),
        (["mx.itu.int"], ["mx.itu.int (comment); dkim=pass (good) header.d=example.org"], True),
        (["MX.itu.int"], ["mx.itu.int 1; spf=pass smtp.mailfrom=ana@mail.example.org"], False),  # not aligned
        (["mx.itu.int"], ["mx.itu.int; spf=pass smtp.mailfrom=ana@example.org"], True),
        (["mx.itu.int"], ["mx.itu.int; dmarc=pass header.from=example.org"], True),
        (["mx.itu.int"], ["mx.itu.int; dkim=pass header.i=@example.org"], True),
    ],
)
def test_authentication_results_count_only_from_a_trusted_host_and_for_the_from_domain(
    settings, trusted, headers, vouched
):
    settings.TD_MAIL_TRUSTED_AUTHSERV_IDS = trusted
    message = mail(sender="ana@example.org", docx=False)
    for header in headers:
        message["Authentication-Results"] = header
    assert bool(authenticated_by_mta(message, "ana@example.org")) is vouched


@pytest.mark.django_db
def test_outlook_mail_with_an_inline_signature_image_is_accepted_with_the_image_listed():
    message = EmailMessage()
    message["From"] = "Hana Kim <hana@example.org>"
    message["To"] = "tsbsg17-td@itu.int"
    message["Subject"] = "Draft TD: liaison"
    message["Message-ID"] = "<outlook@example.org>"
    message.set_content("Please find the draft attached.\n-- \nHana")
    message.add_alternative('<p>Please find the draft attached.</p><img src="cid:image001.png@01DA">', subtype="html")
    html = message.get_payload()[1]
    html.add_related(
        PNG, maintype="image", subtype="png", cid="<image001.png@01DA>", disposition="inline", filename="image001.png"
    )
    message.add_attachment(docx_bytes(), maintype="application", subtype=DOCX.split("/")[1], filename="liaison.docx")

    result = ingest_td_mail(message.as_bytes())

    assert result.outcome == Outcome.HELD
    assert [f.original_name for f in result.draft.files.all()] == ["liaison.docx"]
    assert result.draft.note == "Inline parts left out (signature images): image001.png (image/png, 72\xa0bytes)."


@pytest.mark.django_db
def test_the_same_message_id_from_two_senders_gives_two_drafts():
    first = ingest_td_mail(mail(sender="ana@example.org", message_id="<same@x>").as_bytes())
    second = ingest_td_mail(mail(sender="intruder@example.net", message_id="<same@x>").as_bytes())
    again = ingest_td_mail(mail(sender="ANA@example.org", message_id="<same@x>").as_bytes())

    assert (first.outcome, second.outcome, again.outcome) == (Outcome.HELD, Outcome.HELD, Outcome.DUPLICATE)
    assert again.draft == first.draft
    assert sorted(TdDraft.objects.values_list("sender_email", flat=True)) == [
        "ana@example.org",
        "intruder@example.net",
    ]
    assert sorted(OutgoingMail.objects.values_list("recipient", flat=True)) == [
        "ana@example.org",
        "intruder@example.net",
    ]


@pytest.mark.django_db
def test_every_sender_gets_an_answer_saying_what_became_of_the_message(settings):
    """Received, needs confirmation, or refused and why: one mail each."""
    settings.TD_MAIL_TRUSTED_AUTHSERV_IDS = ["mx.itu.int"]
    vouched = {"Authentication-Results": "mx.itu.int; dkim=pass header.d=example.org"}
    ingest_td_mail(mail(sender="a@example.org", message_id="<a@x>", headers=vouched).as_bytes())
    ingest_td_mail(mail(sender="b@example.net", message_id="<b@x>").as_bytes())
    ingest_td_mail(mail(sender="c@example.net", message_id="<c@x>", docx=False).as_bytes())

    assert sorted(OutgoingMail.objects.values_list("recipient", "subject")) == [
        ("a@example.org", "[ITU-T SG portal] Your draft TD is in the secretariat's queue"),
        ("b@example.net", "[ITU-T SG portal] Confirm your draft TD: Draft TD: X.1234"),
        ("c@example.net", "[ITU-T SG portal] Not added to the TD queue: Draft TD: X.1234"),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_sweep_deletes_drafts_never_confirmed_with_their_files(settings, media_root):
    from django.utils import timezone

    from documents import mailings
    from tests.documents.factories import stored_files

    held = ingest_td_mail(mail(sender="a@example.net", message_id="<old@x>").as_bytes()).draft
    fresh = ingest_td_mail(mail(sender="b@example.net", message_id="<new@x>").as_bytes()).draft
    TdDraft.objects.filter(pk=held.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=settings.TD_MAIL_CONFIRMATION_DAYS, minutes=1)
    )
    kept_file = fresh.files.get().file.name

    assert mailings.sweep()["unconfirmed_drafts_discarded"] == 1
    assert list(TdDraft.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert [path.name for path in stored_files(media_root)] == [kept_file.rsplit("/", 1)[-1]]
