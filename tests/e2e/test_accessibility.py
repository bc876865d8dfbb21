"""axe-core in Chromium on every page of the permission tables, for every role.

Passing means no violation of WCAG 2.0, 2.1 or 2.2 at levels A and AA, and no serious or critical
best-practice violation. One browser, one sign-in per role, one visit per page.
"""

import pytest

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
)


@pytest.fixture
def world(secretariat, media_root):
    return build_world(secretariat)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
def test_axe_finds_nothing_on_any_page_of_the_role(live_server, browser, world, role):
    context = signed_in_context(browser, live_server.url, world["people"].get(role))
    page = context.new_page()
    problems = []
    for url in pages_for(role, world):
        response = page.goto(url)
        assert (url, response.status, response.headers["content-type"].split(";")[0]) == (url, 200, "text/html")
        problems += [f"{url}: {violation}" for violation in serious_violations(page)]
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.django_db
def test_every_url_is_checked_or_not_a_page(secretariat, media_root):
    from django.urls import resolve

    world = build_world(secretariat)
    checked = {resolve(url.split("?")[0]).view_name for role in ROLES for url in pages_for(role, world)}
    accounted = checked | NOT_PAGES | NOT_PORTAL_PAGES | post_only_names(world)
    assert sorted(project_url_names() - accounted) == []
