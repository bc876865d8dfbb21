"""The main forms of the portal, submitted empty or invalid, in Chromium: the page that comes back passes axe
(no WCAG 2.2 A/AA violation, no serious or critical best-practice one), its error summary has the focus and
links to a field of the form.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agenda.models import AgendaItem
from registration.models import Affiliation
from tests.agenda.conftest import SMALL_AGENDA, load_outline
from tests.e2e.accessibility import serious_violations, signed_in_context
from tests.factories import AffiliationFactory, MemberEntityFactory, RegistrationFactory, UserFactory
from tests.registration.factories import upcoming_meeting


def _world(secretariat):
    focal_point = UserFactory(email="focal.point@example.org", given_name="Hana", family_name="Kim")
    entity = MemberEntityFactory(name="Republic of Korea", country="KR", focal_points=[focal_point])
    delegate = UserFactory(email="delegate@example.org", given_name="Daniel", family_name="Okafor")
    AffiliationFactory(user=delegate, entity=entity, state=Affiliation.State.APPROVED)
    meeting = upcoming_meeting()
    other = UserFactory(email="other.delegate@example.org", given_name="Ama", family_name="Mensah")
    AffiliationFactory(user=other, entity=entity, state=Affiliation.State.APPROVED)
    pending = RegistrationFactory(meeting=meeting, delegate=other, entity=entity)
    load_outline(meeting, SMALL_AGENDA, by=secretariat)
    item = AgendaItem.objects.filter(version__meeting=meeting).order_by("pk").first()
    people = {"delegate": delegate, "focal_point": focal_point, "secretariat": secretariat}
    return {"people": people, "meeting": meeting, "pending": pending, "item": item}


def _clear(*selectors):
    """Empties the given inputs before submitting: an edit form that comes filled in is made invalid."""

    def clear(page):
        for selector in selectors:
            page.locator(selector).fill("")

    return clear


# (case, role, url of the form, what to do before submitting, the submit button's name).
FORMS = [
    ("registration", "delegate", lambda w: reverse("registration:register", args=[w["meeting"].pk]), None, "Register"),
    (
        "contribution",
        "delegate",
        lambda w: reverse("documents:post_contribution", args=[w["meeting"].pk]),
        None,
        "Post",
    ),
    ("meeting_create", "secretariat", lambda w: reverse("meetings:create"), None, "Create the meeting"),
    (
        "meeting_edit",
        "secretariat",
        lambda w: reverse("meetings:edit", args=[w["meeting"].pk]),
        _clear("#id_title", "#id_first_day"),
        "Save the meeting",
    ),
    (
        "side_event",
        "secretariat",
        lambda w: reverse("meetings:side_event_create", args=[w["meeting"].pk]),
        _clear("#id_starts_at_0", "#id_starts_at_1"),
        "Save the side event",
    ),
    (
        "agenda_item_add",
        "secretariat",
        lambda w: reverse("agenda:agenda_item_add", args=[w["meeting"].pk]),
        None,
        "Save",
    ),
    (
        "agenda_item_edit",
        "secretariat",
        lambda w: reverse("agenda:agenda_item_edit", args=[w["meeting"].pk, w["item"].pk]),
        _clear("#id_title"),
        "Save",
    ),
    ("reject_without_reason", "focal_point", lambda w: reverse("registration:queue"), None, "Reject"),
    ("profile", "delegate", lambda w: reverse("profile"), _clear("#id_given_name"), "Save my details"),
    ("signup", "anonymous", lambda w: reverse("account_signup"), None, "Sign Up"),
    (
        "affiliation_request",
        "delegate",
        lambda w: reverse("registration:request_affiliation"),
        None,
        "Ask to be recognised as a member",
    ),
    (
        "td_draft",
        "delegate",
        lambda w: reverse("documents:submit_td_draft", args=[w["meeting"].pk]),
        None,
        "Send to the secretariat",
    ),
    (
        "register_someone",
        "secretariat",
        lambda w: reverse("registration:register_someone", args=[w["meeting"].pk]),
        None,
        "Register this delegate",
    ),
    ("entity_create", "secretariat", lambda w: reverse("registration:entity_create"), None, "Save"),
    ("td_post", "secretariat", lambda w: reverse("documents:post_td", args=[w["meeting"].pk]), None, "Number and post"),
    ("session_add", "secretariat", lambda w: reverse("agenda:session_add", args=[w["meeting"].pk]), None, "Save"),
    (
        "agenda_outline",
        "secretariat",
        lambda w: reverse("agenda:agenda_outline", args=[w["meeting"].pk]),
        None,
        "Build the agenda",
    ),
    (
        "clone",
        "secretariat",
        lambda w: reverse("meetings:clone", args=[w["meeting"].pk]),
        None,
        "Create the new meeting as a draft",
    ),
]


@pytest.fixture
def world(secretariat, media_root):
    return _world(secretariat)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("case", "role", "url", "prepare", "submit"), FORMS, ids=[form[0] for form in FORMS])
def test_form_submitted_with_errors_passes_axe_and_leads_to_the_field(
    live_server, browser, world, case, role, url, prepare, submit
):
    person = world["people"].get(role)
    context = signed_in_context(browser, live_server.url, person, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url(world))
    if prepare:
        prepare(page)
    page.locator("main").get_by_role("button", name=submit, exact=True).first.click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    links = summary.locator("a[data-error-field]")
    assert links.count() >= 1
    first = links.first
    target = first.get_attribute("href").removeprefix("#")
    field = page.locator(f"[id='{target}'], [id='{target}_0']").first
    expect(field).to_be_attached()
    first.click()
    expect(field).to_be_focused()
    problems = serious_violations(page)
    context.close()
    assert problems == [], "\n".join(problems)
