import subprocess
from pathlib import Path

from agenda import services
from tests.agenda.conftest import load_outline
from tests.agenda.factories import add_session

ANNEX_B = (Path(__file__).parent / "annex_b_2021.txt").read_text()


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_agenda_pdf_lists_the_items_with_their_numbers(client, meeting, secretariat, registrant, tmp_path):
    load_outline(meeting, ANNEX_B, by=secretariat)
    services.publish_agenda(meeting, revision=1, by=secretariat, note="As in the letter")
    client.force_login(registrant)

    response = client.get(f"/meetings/{meeting.pk}/agenda/v1.pdf")

    assert response["Content-Type"] == "application/pdf"
    lines = [" ".join(line.split()) for line in pdf_text(response.content, tmp_path).splitlines() if line.strip()]
    assert "Agenda for Plenary Meeting of ITU-T SG17" in lines
    assert lines[4].startswith("Version 1 of ")
    assert lines[4].endswith(" – As in the letter")
    for expected in [
        "1. Opening of the meeting and welcome",
        "2. Results from the last SG17 meeting",
        "a) Report of the 20-30 April 2021 SG17 meeting",
        "f) SG17 JCAs",
        "· JCA-IdM",
        "r) Highlights of achievements",
        "10. Closing",
    ]:
        assert expected in lines
    assert lines.index("1. Opening of the meeting and welcome") < lines.index("10. Closing")


def test_time_plan_pdf_lists_the_sessions(on_the_letters_dates, client, meeting, secretariat, registrant, tmp_path):
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Opening plenary", captioning=True)
    services.publish_time_plan(meeting, revision=1, by=secretariat)
    client.force_login(registrant)

    text = pdf_text(client.get(f"/meetings/{meeting.pk}/time-plan/v1.pdf").content, tmp_path)

    assert "Tuesday 24 August 2021" in text
    assert "10:00–12:00" in text
    assert "Opening plenary" in text
