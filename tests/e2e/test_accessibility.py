"""axe-core in Chromium on every page of the permission tables, for every role, and each page on a phone.

Passing means no violation of WCAG 2.0, 2.1 or 2.2 at levels A and AA, no serious or critical best-practice
violation, and at 390 px wide no page scrolls sideways. One browser, one sign-in per role, one visit per page:
axe runs at 1280 px, then the same page is narrowed to 390 px.
"""

import pytest
from django.urls import is_valid_path, resolve
from django.utils import translation

from tests.e2e.accessibility import (
    NOT_PAGES,
    NOT_PORTAL_PAGES,
    ROLES,
    build_world,
    pages_for,
    post_only_names,
    project_url_names,
    serious_violations,
    signed_in_context,
    width_beyond,
)


@pytest.fixture
def world(secretariat, media_root):
    return build_world(secretariat)


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_passes_axe_and_fits_a_phone(live_server, browser, world, role):
    context = signed_in_context(browser, live_server.url, world["people"].get(role), viewport=DESKTOP)
    page = context.new_page()
    problems, too_wide, queue_buttons = [], [], None
    for url in pages_for(role, world):
        page.set_viewport_size(DESKTOP)
        response = page.goto(url)
        assert (url, response.status, response.headers["content-type"].split(";")[0]) == (url, 200, "text/html")
        problems += [f"{url}: {violation}" for violation in serious_violations(page)]
        page.set_viewport_size(PHONE)
        beyond = width_beyond(page, PHONE["width"])
        if beyond:
            too_wide.append(f"{url}: {beyond}")
        if resolve(url.split("?")[0]).view_name == "registration:queue":
            approve = page.get_by_role("button", name="Approve", exact=True)
            boxes = [approve.nth(index).bounding_box() for index in range(approve.count())]
            queue_buttons = [(box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]) for box in boxes]
    context.close()
    assert problems == [], "\n".join(problems)
    assert too_wide == [], "\n".join(too_wide)
    if role == "focal_point":
        # The one pending registration of the world: its Approve button is on screen without scrolling sideways.
        assert queue_buttons == [True]


@pytest.mark.django_db
def test_every_url_is_checked_or_not_a_page(secretariat, media_root):
    world = build_world(secretariat)
    checked = {resolve(url.split("?")[0]).view_name for role in ROLES for url in pages_for(role, world)}
    accounted = checked | NOT_PAGES | NOT_PORTAL_PAGES | post_only_names(world)
    assert sorted(project_url_names() - accounted) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["anonymous", "delegate"])
def test_the_pages_in_arabic_pass_axe_and_fit_a_phone_right_to_left(live_server, browser, world, role):
    """The same pages under /ar/: right to left, with Bootstrap's RTL stylesheet and the Arabic texts. The public
    pages are checked in the delegate's pass; the visitor's pass checks what only a visitor sees (signing in and up,
    resetting a password)."""
    context = signed_in_context(browser, live_server.url, world["people"].get(role), viewport=DESKTOP)
    page = context.new_page()
    problems, too_wide, checked = [], [], 0
    urls = pages_for(role, world)
    if role == "anonymous":
        urls = [url for url in urls if url not in set(pages_for("delegate", world))]
    for url in urls:
        arabic = f"/ar{url}"
        with translation.override("ar"):
            if not is_valid_path(arabic.split("?")[0]):
                continue  # not a language-prefixed page (the API's token pages)
        page.set_viewport_size(DESKTOP)
        response = page.goto(arabic)
        assert (arabic, response.status) == (arabic, 200)
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
        problems += [f"{arabic}: {violation}" for violation in serious_violations(page)]
        page.set_viewport_size(PHONE)
        beyond = width_beyond(page, PHONE["width"])
        if beyond:
            too_wide.append(f"{arabic}: {beyond}")
        checked += 1
    context.close()
    assert checked >= (8 if role == "delegate" else 3)
    assert problems == [], "\n".join(problems)
    assert too_wide == [], "\n".join(too_wide)
