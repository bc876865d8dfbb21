import hashlib
import io
import re

import pytest
from django.urls import reverse

from documents import services
from documents.models import Document, DocumentFile, Revision
from documents.uploads import IncomingFile, UploadRefused, check_file
from tests.documents.factories import (
    DOCX,
    doc_bytes,
    docx_bytes,
    ooxml_bytes,
    pdf_bytes,
    stored_files,
    upload,
    zip_bytes,
)
from tests.factories import QuestionFactory, StudyGroupFactory

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>\n'
PASSWD = b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


def post_form(client, meeting, files):
    return client.post(
        reverse("documents:post_contribution", args=[meeting.pk]),
        {"entity": client.entity_pk, "title": "Security of things", "abstract": "", "files": files},
    )


@pytest.fixture
def member_client(client, member, entity):
    client.force_login(member)
    client.entity_pk = entity.pk
    return client


def assert_nothing_saved(media_root):
    assert (Document.objects.count(), Revision.objects.count(), DocumentFile.objects.count()) == (0, 0, 0)
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.docx", b"", "“empty.docx” is empty."),
        ("setup.exe", EXE, "“setup.exe” is a program; programs are not accepted."),
        ("report.pdf", HTML, "“report.pdf” is a web page (HTML); web pages are not accepted, send a PDF or Word file."),
        ("drawing.pdf", SVG, "“drawing.pdf” is an SVG image; SVG files are not accepted."),
        ("notes.docx", pdf_bytes(), "“notes.docx” is not a Word document: its content does not match its name."),
        (
            "macro.docx",
            ooxml_bytes("word/document.xml", extra={"word/vbaProject.bin": b"x"}),
            "“macro.docx” contains macros; save it without macros (as .docx, .xlsx or .pptx) and send it again.",
        ),
        (
            "bundle.zip",
            zip_bytes({"readme.txt": b"hi", "tool.exe": EXE}),
            "“bundle.zip” contains programs (tool.exe), which are not accepted.",
        ),
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
            "“photo.png” is not of an accepted type. Accepted: .docx, .doc, .xlsx, .pptx, .pdf, .zip, .txt.",
        ),
    ],
)
def test_upload_refused_with_its_message_and_nothing_saved(member_client, meeting, media_root, name, data, message):
    response = post_form(member_client, meeting, [upload(name, data)])
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [message]
    assert_nothing_saved(media_root)


def test_upload_over_the_limit_by_one_byte_refused(member_client, meeting, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 1000
    data = b"x" * 1001
    response = post_form(member_client, meeting, [upload("long.txt", data)])
    assert response.context["form"].errors["files"] == ["“long.txt” is larger than the limit of 1000\xa0bytes."]
    assert_nothing_saved(media_root)


def test_upload_at_the_limit_accepted(member_client, meeting, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = post_form(member_client, meeting, [upload("exact.txt", b"x" * 999 + b"\n")])
    assert response.status_code == 302
    assert DocumentFile.objects.get().size == 1000


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        # The browser's name "../../etc/passwd.docx" reaches the form as "passwd.docx"; its content gives it away.
        (
            "../../etc/passwd.docx",
            PASSWD,
            "text/plain",
            "“passwd.docx” is not a Word document: its content does not match its name.",
        ),
        # Django keeps the last 255 characters' worth: 250 "a" and the extension.
        (
            "a" * 295 + ".docx",
            docx_bytes(),
            DOCX,
            "The file name “" + "a" * 40 + "…" + "a" * 7 + ".docx” is too long: at most 200 characters are allowed. "
            "Shorten it and try again.",
        ),
    ],
    ids=["path_in_name", "300_character_name"],
)
def test_upload_name_refused_over_http(member_client, meeting, media_root, name, data, content_type, message):
    response = post_form(member_client, meeting, [upload(name, data, content_type)])
    assert response.context["form"].errors["files"] == [message]
    assert_nothing_saved(media_root)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "../../etc/passwd.docx",
            "The file name “../../etc/passwd.docx” contains a folder path; send the file under its own name only.",
        ),
        (
            "b" * 295 + ".docx",
            "The file name “" + "b" * 40 + "…" + "b" * 7 + ".docx” is too long: at most 200 characters are allowed. "
            "Shorten it and try again.",
        ),
    ],
    ids=["path_in_name", "300_character_name"],
)
def test_upload_name_refused_by_the_service(db, meeting, member, entity, media_root, name, message):
    with pytest.raises(UploadRefused) as refusal:
        services.post_contribution(
            meeting, entity=entity, title="T", files=[IncomingFile(name, io.BytesIO(docx_bytes()))], by=member
        )
    assert refusal.value.message == message
    assert_nothing_saved(media_root)


def test_one_refused_file_among_several_saves_none(member_client, meeting, media_root):
    response = post_form(member_client, meeting, [upload("good.docx"), upload("bad.pdf", HTML)])
    assert response.context["form"].errors["files"] == [
        "“bad.pdf” is a web page (HTML); web pages are not accepted, send a PDF or Word file."
    ]
    assert_nothing_saved(media_root)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("c.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("c.doc", doc_bytes(), "application/msword"),
        ("c.xlsx", ooxml_bytes("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "c.pptx",
            ooxml_bytes("ppt/presentation.xml"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("c.pdf", pdf_bytes(), "application/pdf"),
        ("c.zip", zip_bytes({"annex.docx": docx_bytes()}), "application/zip"),
        ("c.txt", "Texte proposé.\n".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_upload_allowed_type_stored_under_a_server_name(member_client, meeting, media_root, name, data, content_type):
    response = post_form(member_client, meeting, [upload(name, data)])
    assert response.status_code == 302
    file = DocumentFile.objects.get()
    assert (file.original_name, file.size, file.sha256, file.content_type) == (
        name,
        len(data),
        hashlib.sha256(data).hexdigest(),
        content_type,
    )
    assert re.fullmatch(r"documents/[0-9a-f]{2}/[0-9a-f]{32}\.[a-z]{3,4}", file.file.name)
    assert file.file.name.endswith("." + name.rsplit(".", 1)[1])
    assert [p.read_bytes() for p in stored_files(media_root)] == [data]


def test_check_file_reads_type_from_content_not_name():
    with pytest.raises(UploadRefused) as refusal:
        check_file(IncomingFile("table.xlsx", io.BytesIO(docx_bytes())))
    assert refusal.value.message == "“table.xlsx” is a zip file but not an Excel workbook."


def test_failure_after_the_files_are_stored_removes_them(db, meeting, secretariat, media_root):
    foreign = QuestionFactory(study_group=StudyGroupFactory(number=13, title="Future networks"), number=1)
    with pytest.raises(services.DocumentError) as refusal:
        services.post_td(
            meeting, title="T", source="TSB", scope="PLEN", questions=[foreign], files=[upload()], by=secretariat
        )
    assert refusal.value.message == "A Question of another study group was chosen."
    assert_nothing_saved(media_root)
