"""In Chromium: a member posts a contribution and a draft TD; the secretariat posts the TD; a non-member is refused."""

import re

import pytest
from playwright.sync_api import expect

from documents.models import Document
from tests.documents.factories import docx_bytes
from tests.factories import PASSWORD, MemberEntityFactory, QuestionFactory, UserFactory, member_of, open_meeting


@pytest.fixture
def journey(media_root, tmp_path, secretariat_group):
    meeting = open_meeting()
    QuestionFactory(study_group=meeting.study_group, number=4, title="Cybersecurity")
    entity = MemberEntityFactory(name="Korea (Republic of)")
    member = member_of(entity, email="member@example.org")
    secretariat = UserFactory(email="secretariat@example.org")
    secretariat.groups.add(secretariat_group)
    outsider = UserFactory(email="outsider@example.org")
    draft_file = tmp_path / "Draft contribution on zero trust.docx"
    draft_file.write_bytes(docx_bytes("Proposed baseline text."))
    return {"meeting": meeting, "member": member, "secretariat": secretariat, "outsider": outsider, "file": draft_file}


def log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In|Log in", re.IGNORECASE)).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_documents_journey(page, live_server, journey):
    base = live_server.url
    meeting = journey["meeting"]

    log_in(page, base, "member@example.org")
    page.goto(f"{base}/meetings/{meeting.pk}/contributions/")
    page.get_by_role("link", name="Post a contribution").click()
    page.get_by_label("Source (your entity)").select_option(label="Korea (Republic of)")
    page.get_by_label("Title").fill("Zero trust architecture for telecom networks")
    page.get_by_label("Q4/17").check()
    page.get_by_label("Files").set_input_files(str(journey["file"]))
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("alert")).to_contain_text("Your contribution is posted as C 1.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("C 1")
    contribution_url = page.url

    page.goto(f"{base}/meetings/{meeting.pk}/tds/draft/")
    page.get_by_label("Title of the draft").fill("Draft LS on quantum key distribution")
    page.get_by_label("Draft TD (on the TD template)").set_input_files(str(journey["file"]))
    page.get_by_role("button", name="Send to the secretariat").click()
    expect(page.get_by_role("alert")).to_contain_text("Your draft is in the secretariat's queue")

    log_in(page, base, "secretariat@example.org")
    page.get_by_role("button", name="Secretariat").click()
    page.get_by_role("link", name="TD queue").click()
    page.get_by_role("link", name="Draft LS on quantum key distribution").click()
    page.get_by_label("Scope").select_option("PLEN")
    page.get_by_label("Source").fill("Rapporteur Q4/17")
    page.get_by_role("button", name="Number and post").click()
    expect(page.get_by_role("alert")).to_contain_text("Posted as TD 1 (PLEN).")
    expect(page.get_by_text("The queue is empty.")).to_be_visible()
    td = Document.objects.get(kind="TD")
    file = td.revisions.get().files.get()

    log_in(page, base, "outsider@example.org")
    for url in (contribution_url, f"{base}{td.get_absolute_url()}"):
        response = page.goto(url)
        assert response.status == 403
    assert page.request.get(f"{base}{file.get_absolute_url()}").status == 403
