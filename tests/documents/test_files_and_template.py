import io
import zipfile

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from documents import services
from documents.models import Scope
from meetings.extensions import meeting_page_sections
from tests.documents.factories import docx_bytes, upload


def test_file_served_as_attachment_under_its_canonical_name(client, meeting, member, entity):
    data = docx_bytes("Body")
    document = services.post_contribution(
        meeting, entity=entity, title="T", files=[upload("my draft.docx", data)], by=member
    )
    file = document.revisions.get().files.get()
    client.force_login(member)
    response = client.get(file.get_absolute_url())
    period = f"T{meeting.study_period.first_year % 100}"
    assert file.name == f"{period}-SG17-C-0001!MSW-E.docx"
    assert response["Content-Disposition"] == f'attachment; filename="{file.name}"'
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    assert response["Content-Length"] == str(len(data))
    assert b"".join(response.streaming_content) == data


def test_file_served_by_nginx_when_the_setting_says_so(client, settings, meeting, member, entity):
    settings.SERVE_FILES_WITH_X_ACCEL_REDIRECT = True
    settings.X_ACCEL_REDIRECT_PREFIX = "/protected/"
    document = services.post_contribution(meeting, entity=entity, title="T", files=[upload()], by=member)
    file = document.revisions.get().files.get()
    client.force_login(member)
    response = client.get(file.get_absolute_url())
    assert response["X-Accel-Redirect"] == f"/protected/{file.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == f'attachment; filename="{file.name}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_stored_file_is_not_reachable_under_the_media_url(client, settings, meeting, member, entity, secretariat):
    document = services.post_contribution(meeting, entity=entity, title="T", files=[upload()], by=member)
    file = document.revisions.get().files.get()
    client.force_login(secretariat)
    assert (settings.MEDIA_ROOT / file.file.name).is_file()
    assert client.get(settings.MEDIA_URL + file.file.name).status_code == 404


def test_td_template_has_the_itu_cover_block(client, meeting, member):
    from docx import Document as WordDocument

    client.force_login(member)
    response = client.get(reverse("documents:td_template", args=[meeting.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="SG17-TD-template.docx"'
    word = WordDocument(io.BytesIO(response.content))
    cells = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    period = meeting.study_period
    assert cells[:3] == [
        ["INTERNATIONAL TELECOMMUNICATION UNION", "TD nnn"],
        ["TELECOMMUNICATION STANDARDIZATION SECTOR", "STUDY GROUP 17"],
        [f"STUDY PERIOD {period.first_year}-{period.last_year}", "Original: English"],
    ]
    assert [row[0] for row in cells[3:]] == [
        "Question(s):",
        "Meeting:",
        "",
        "Source:",
        "Title:",
        "Purpose:",
        "Contact:",
    ]
    assert cells[5][1] == "TEMPORARY DOCUMENT"
    assert word.paragraphs[0].text.startswith("Attention: This is not a publication made available to the public")
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


def test_meeting_page_section_is_registered_and_renders(meeting, member, secretariat):
    assert "documents/_meeting_panel.html" in meeting_page_sections()
    services.post_td(meeting, title="T", source="TSB", scope=Scope.PLEN, files=[upload()], by=secretariat)
    request = RequestFactory().get("/")
    request.user = member
    html = render_to_string(
        "documents/_meeting_panel.html", {"meeting": meeting, "request": request, "user": member}, request=request
    )
    assert f'href="/meetings/{meeting.pk}/contributions/new/"' in html
    assert f'<a href="/meetings/{meeting.pk}/tds/">TDs</a> (1)' in html
    assert f'action="/meetings/{meeting.pk}/documents/digest/"' in html
