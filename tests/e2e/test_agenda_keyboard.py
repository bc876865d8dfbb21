"""The draft agenda editor by keyboard: the items are one Tab stop (roving tabindex), arrows go from item to
item, shortcuts explained on the page move an item, and each move is read out from a live region."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agenda.models import AgendaItem
from tests.agenda.conftest import SMALL_AGENDA, load_outline
from tests.e2e.accessibility import serious_violations, signed_in_context
from tests.factories import MeetingFactory

# Marks each element Tab reaches; answers whether it was reached before (Tab went round the page) and where it is.
TAB_STOP = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return "none";
  if (element.dataset.tabStopSeen) return "again";
  element.dataset.tabStopSeen = "1";
  return element.closest(".agenda-editor") ? "editor" : "page";
}"""


def tab_stops(page, *, limit=400):
    """Presses Tab from the top of the page until the focus comes round again: the stops in the editor and in all."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    counts = {"editor": 0, "page": 0}
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = page.evaluate(TAB_STOP)
        if where == "again":
            break
        if where in counts:
            counts[where] += 1
    else:
        raise AssertionError("Tab never came round the page")
    return counts["editor"], counts["editor"] + counts["page"]


CLOSING_THIRD = ["1. Opening", "2. Results", "a) Report", "b) AAP", "3. Closing", "4. Coordination", "a) JCAs"]


def numbered(page):
    rows = page.locator(".agenda-item > .agenda-row")
    return [" ".join(row.locator(".agenda-number, .agenda-title").all_inner_texts()) for row in rows.all()]


@pytest.mark.django_db(transaction=True)
def test_draft_agenda_editor_is_one_tab_stop_and_moves_items_by_keyboard(live_server, browser, secretariat):
    meeting = MeetingFactory()
    load_outline(meeting, SMALL_AGENDA, by=secretariat)
    items = AgendaItem.objects.filter(version__meeting=meeting).count()
    context = signed_in_context(browser, live_server.url, secretariat, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(reverse("agenda:agenda_draft", args=[meeting.pk]))

    in_editor, in_all = tab_stops(page)
    print(f"Tab stops: {in_editor} in the editor of {items} items, {in_all} on the page")
    assert (items, in_editor) == (7, 1)
    assert in_all < items + 40

    # The shortcuts are explained on the page, and the tree says where to read them.
    tree = page.get_by_role("tree")
    help_id = tree.get_attribute("aria-describedby")
    expect(page.locator(f"#{help_id}")).to_contain_text("Alt+Shift+↑")

    # Into the editor: the first item has the focus; arrows, Home and End go from item to item.
    first = page.get_by_role("treeitem").first
    first.focus()
    expect(first).to_have_attribute("tabindex", "0")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("treeitem", name="2. Results")).to_be_focused()
    page.keyboard.press("End")
    closing = page.get_by_role("treeitem", name="4. Closing")
    expect(closing).to_be_focused()
    assert page.locator("[role=treeitem][tabindex='0']").count() == 1
    page.keyboard.press("Home")
    expect(first).to_be_focused()
    page.keyboard.press("End")

    # Closing moves up: the numbering follows, the focus stays on it and the live region says so.
    page.keyboard.press("Alt+Shift+ArrowUp")
    status = page.locator("#agenda-editor-status")
    expect(status).to_have_text("“Closing” is now item 3.")
    assert numbered(page) == CLOSING_THIRD
    expect(page.get_by_role("treeitem", name="3. Closing")).to_be_focused()

    # Indented under Results: it becomes its sub-item c).
    page.keyboard.press("Alt+Shift+ArrowRight")
    expect(status).to_have_text("“Closing” is now item 2 c).")
    expect(page.get_by_role("treeitem", name="c) Closing")).to_be_focused()

    # A move that cannot be made is said too, and changes nothing.
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("treeitem", name="a) Report")).to_be_focused()
    page.keyboard.press("Alt+Shift+ArrowUp")
    expect(status).to_contain_text("“Report” is already the first at its level.")

    problems = serious_violations(page)
    assert problems == [], "\n".join(problems)

    # Enter opens the edit page of the focused item.
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit agenda item")
    expect(page.locator("#id_title")).to_have_value("Report")

    # Delete asks first, naming the item (its buttons are the page's template, filled in by the script): dismissed,
    # nothing changes; accepted, the item goes.
    page.go_back()
    report = page.get_by_role("treeitem", name="a) Report")
    report.focus()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.keyboard.press("Delete")
    expect(page.get_by_role("treeitem", name="a) Report")).to_have_count(1)
    assert asked == ["Delete 2 a) “Report” and its sub-items?"]
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Delete")
    expect(page.locator(".messages")).to_contain_text("Item “Report” deleted.")
    expect(page.get_by_role("treeitem", name="a) Report")).to_have_count(0)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_draft_agenda_editor_without_script_leads_to_each_items_buttons(live_server, browser, secretariat):
    meeting = MeetingFactory()
    load_outline(meeting, SMALL_AGENDA, by=secretariat)
    context = signed_in_context(browser, live_server.url, secretariat, java_script_enabled=False)
    page = context.new_page()
    page.goto(reverse("agenda:agenda_draft", args=[meeting.pk]))

    expect(page.get_by_role("tree")).to_have_count(0)
    expect(page.locator("#agenda-editor-keys")).to_be_hidden()
    expect(page.get_by_role("button", name="Move 4 up")).to_have_count(0)
    page.get_by_role("link", name="Closing", exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Move or delete item 4")
    page.get_by_role("button", name="Move 4 up").click()
    expect(page.locator(".messages")).to_contain_text("Item “Closing” moved.")
    assert numbered(page) == CLOSING_THIRD
    context.close()
