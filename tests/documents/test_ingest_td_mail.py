"""``manage.py ingest_td_mail`` on real RFC 822 files, as a mail server's pipe delivers them."""

import hashlib
import io
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from documents.models import TdDraft
from notifications.models import OutgoingMail
from tests.documents.factories import DOCX, docx_bytes, stored_files
from tests.factories import member_of

ROOT = Path(__file__).resolve().parents[2]


def write_eml(
    path: Path, *, sender: str, subject: str, attachments=(), headers=None, message_id="<1@mail.example.org>"
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "tsbsg17-td@itu.int"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content("Dear secretariat,\nplease find our draft TD attached.\nBest regards\n")
    for filename, data, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    path.write_bytes(message.as_bytes())
    return path


def ingest(path: Path) -> str:
    out = io.StringIO()
    with path.open("rb") as stream:
        call_command("ingest_td_mail", stdin=stream, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db(transaction=True)
def test_ingest_word_attachment_through_the_pipe_lands_in_the_queue_linked_to_its_sender(tmp_path, entity):
    """The command runs as its own process reading standard input, as the mail server runs it."""
    sender = member_of(entity, email="rapporteur@example.org", given_name="Ana", family_name="Silva")
    data = docx_bytes("Draft new Recommendation X.1234")
    eml = write_eml(
        tmp_path / "draft.eml",
        sender="Ana Silva <Rapporteur@Example.org>",
        subject="Draft TD: X.1234 baseline text",
        attachments=[("X1234-baseline.docx", data, DOCX)],
        headers={"Authentication-Results": "mx.itu.int; dkim=pass header.d=example.org"},
    )
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "TD_MAIL_TRUSTED_AUTHSERV_IDS": "mx.itu.int",
    }
    with eml.open("rb") as stdin:
        result = subprocess.run(
            [sys.executable, "manage.py", "ingest_td_mail"],
            stdin=stdin,
            capture_output=True,
            cwd=ROOT,
            env=environment,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    draft = TdDraft.objects.get()
    assert (draft.state, draft.channel, draft.submitted_by, draft.sender_email, draft.subject) == (
        TdDraft.State.PENDING,
        TdDraft.Channel.MAIL,
        sender,
        "Rapporteur@Example.org",
        "Draft TD: X.1234 baseline text",
    )
    assert result.stdout.decode().strip() == f"queued as draft {draft.pk}"
    file = draft.files.get()
    assert (file.original_name, file.size, file.sha256) == (
        "X1234-baseline.docx",
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert Path(settings.MEDIA_ROOT, file.file.name).read_bytes() == data
    acknowledgement = OutgoingMail.objects.get()
    assert (acknowledgement.recipient, acknowledgement.subject) == (
        "Rapporteur@Example.org",
        "[ITU-T SG portal] Your draft TD is in the secretariat's queue",
    )


def test_ingest_without_attachment_is_answered(db, tmp_path):
    eml = write_eml(tmp_path / "bare.eml", sender="someone@example.net", subject="Our TD")
    assert ingest(eml) == (
        "answered: The message had no attachment. Attach your draft TD, written on the TD template (.docx)."
    )
    assert TdDraft.objects.count() == 0
    reply = OutgoingMail.objects.get()
    assert (reply.recipient, reply.subject) == (
        "someone@example.net",
        "[ITU-T SG portal] Not added to the TD queue: Our TD",
    )
    assert reply.body_text.splitlines()[2] == (
        "The message had no attachment. Attach your draft TD, written on the TD template (.docx)."
    )


def test_ingest_rejected_file_is_answered_with_the_reason_and_nothing_queued(db, tmp_path, media_root):
    eml = write_eml(
        tmp_path / "exe.eml",
        sender="someone@example.net",
        subject="Tool",
        attachments=[
            ("draft.docx", docx_bytes(), DOCX),
            ("install.exe", b"MZ" + b"\x00" * 100, "application/octet-stream"),
        ],
    )
    assert ingest(eml) == "answered: “install.exe” is a program; programs are not accepted."
    assert TdDraft.objects.count() == 0
    assert stored_files(media_root) == []
    assert (
        OutgoingMail.objects.get().body_text.splitlines()[2] == "“install.exe” is a program; programs are not accepted."
    )


def test_ingest_same_message_twice_queues_it_once(db, tmp_path):
    eml = write_eml(
        tmp_path / "d.eml", sender="x@example.net", subject="D", attachments=[("d.docx", docx_bytes(), DOCX)]
    )
    first, second = ingest(eml), ingest(eml)
    draft = TdDraft.objects.get()
    assert (first, second) == (f"held as draft {draft.pk}", f"duplicate as draft {draft.pk}")
    assert draft.submitted_by is None
    assert OutgoingMail.objects.count() == 1


def test_ingest_automatic_reply_is_not_answered(db, tmp_path):
    eml = write_eml(
        tmp_path / "auto.eml",
        sender="x@example.net",
        subject="Out of office",
        headers={"Auto-Submitted": "auto-replied"},
    )
    assert ingest(eml) == "ignored: automatic"
    assert (TdDraft.objects.count(), OutgoingMail.objects.count()) == (0, 0)


def test_ingest_attachment_name_with_a_path_is_answered(db, tmp_path):
    eml = write_eml(
        tmp_path / "path.eml",
        sender="x@example.net",
        subject="P",
        attachments=[("../../etc/passwd.docx", docx_bytes(), DOCX)],
    )
    assert ingest(eml) == (
        "answered: The file name “../../etc/passwd.docx” contains a folder path; send the file under its own name only."
    )
    assert TdDraft.objects.count() == 0
