import datetime
import re

import icalendar
import pytest
from playwright.sync_api import expect

from meetings.deadlines import key_deadlines
from meetings.display import day_range_text, day_text
from tests.factories import PASSWORD, StudyGroupFactory, StudyPeriodFactory


@pytest.mark.django_db(transaction=True)
def test_meetings_secretariat_sets_up_a_meeting_and_a_visitor_finds_it(page, live_server, secretariat):
    StudyGroupFactory()
    StudyPeriodFactory(first_year=2025, last_year=2028)
    first_day = datetime.date.today() + datetime.timedelta(days=150)
    last_day = first_day + datetime.timedelta(days=9)
    computed = key_deadlines(first_day, "hybrid")
    moved = computed["contributions"] - datetime.timedelta(days=2)

    # The secretariat logs in and creates a hybrid meeting.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Log in", exact=True).click()
    page.fill("input[name=login]", secretariat.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form").get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Secretariat").click()
    page.get_by_role("link", name="New meeting").click()
    page.select_option("select[name=study_period]", label="2025-2028")
    page.select_option("select[name=format]", "hybrid")
    page.fill("input[name=first_day]", first_day.isoformat())
    page.fill("input[name=last_day]", last_day.isoformat())
    page.fill("input[name=session_start]", "09:30")
    page.fill("input[name=session_end]", "17:30")
    page.fill("input[name=venue]", "ITU headquarters, Geneva")
    page.fill("input[name=signatory]", "Seizo Onoe")
    page.fill("input[name=signatory_title]", "Director of the Telecommunication Standardization Bureau")
    page.get_by_role("button", name="Create the meeting").click()

    # It sees the computed deadlines.
    expect(page.locator(".alert-success")).to_contain_text("its key deadlines computed")
    rows = page.locator("#manage-deadlines tbody tr")
    expect(rows).to_have_count(5)
    expect(page.locator("tr[data-kind=registration] .deadline-day")).to_have_text(day_text(computed["registration"]))

    # It moves the contributions deadline two days earlier, with a reason.
    page.locator("tr[data-kind=contributions]").get_by_role("link", name="Change").click()
    page.fill("input[name=day]", moved.isoformat())
    page.fill("input[name=reason]", "The secretariat is closed for a public holiday")
    page.get_by_role("button", name="Set this deadline").click()
    row = page.locator("tr[data-kind=contributions]")
    expect(row.locator(".deadline-day")).to_have_text(day_text(moved))
    expect(row).to_contain_text("Set by hand The secretariat is closed for a public holiday")

    # It announces the meeting (confirming the dialog).
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Announce the meeting").click()
    expect(page.locator("#meeting-state")).to_have_text("Announced")
    expect(page.locator(".alert-success")).to_contain_text("TSB Collective letter 1/17")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()

    # A visitor finds the meeting from the home page.
    page.goto(f"{live_server.url}/")
    page.locator("#home-meetings").locator("..").get_by_role("link", name="Hybrid meeting of Study Group 17").click()
    title = f"Hybrid meeting of Study Group 17, {day_range_text(first_day, last_day)}"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#meeting-hours")).to_contain_text("09:30-17:30 Geneva time")
    expect(page.locator("#key-deadlines tr[data-kind=contributions]")).to_contain_text(day_text(moved))
    expect(page.locator("#key-deadlines tr[data-kind=contributions]")).to_contain_text(re.compile(r"\d+ days left"))

    # … its letter …
    page.get_by_role("link", name="Read the letter").click()
    letter = page.locator("article.collective-letter")
    expect(letter).to_contain_text("TSB Collective letter 1/17")
    expect(letter.locator(".letter-subject td")).to_have_text(title)
    contributions = letter.locator(".letter-deadlines tr", has_text="via Direct Document Posting")
    expect(contributions.locator(".letter-deadline-day")).to_have_text(day_text(moved))
    pdf = page.request.get(live_server.url + page.get_by_role("link", name="Download as PDF").get_attribute("href"))
    assert (pdf.status, pdf.headers["content-type"], pdf.body()[:5]) == (200, "application/pdf", b"%PDF-")
    page.go_back()

    # … and its calendar.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    calendar = icalendar.Calendar.from_ical(download_info.value.path().read_bytes())
    events = calendar.walk("VEVENT")
    # a daily event for each day from Monday to Friday within the ten days, 5 key deadlines
    weekdays = [first_day + datetime.timedelta(days=n) for n in range(10)]
    assert len(events) == len([day for day in weekdays if day.weekday() < 5]) + 5
    assert {str(e["DTSTART"].params["TZID"]) for e in events} == {"Europe/Zurich"}
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]
    expect(page.locator("#calendar-subscribe")).to_have_attribute("href", re.compile(r"^webcal://.+/calendar\.ics$"))
