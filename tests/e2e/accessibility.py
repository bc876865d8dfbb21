"""The pages every role can open, taken from the permission tables, and the axe-core check run on each.

The URL lists come from the tables in tests/<app>/test_permissions.py, so a page added there is checked here without
another line; ``test_every_url_is_checked_or_not_a_page`` fails for a URL that neither table nor the lists below
account for.
"""

import functools

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from agenda import services as agenda_services
from meetings.pdf_jobs import request_pdf_job
from registration.models import Affiliation, Registration
from tests.agenda import test_permissions as agenda_table
from tests.agenda.conftest import SMALL_AGENDA, load_outline
from tests.agenda.factories import add_session
from tests.documents import test_permissions as documents_table
from tests.factories import AffiliationFactory, MemberEntityFactory, RegistrationFactory, UserFactory
from tests.meetings import test_permissions as meetings_table
from tests.registration import test_permissions as registration_table
from tests.registration.factories import upcoming_meeting

ROLES = ["anonymous", "delegate", "focal_point", "chair", "secretariat"]

# The same person under the name each table gives the role.
REGISTRATION_ROLE = {"delegate": "delegate", "focal_point": "focal_point", "secretariat": "secretariat"}
DOCUMENTS_ROLE = {"anonymous": "anonymous", "delegate": "poster", "secretariat": "secretariat"}
AGENDA_NAMES = {
    "anonymous": agenda_table.READ_PUBLISHED + ["agenda:index"],
    "focal_point": agenda_table.READ_PUBLISHED + ["agenda:index"],
    "delegate": agenda_table.READ_PUBLISHED + ["agenda:index"],
    "chair": agenda_table.READ_PUBLISHED + agenda_table.READ_DRAFT + ["agenda:index"],
    "secretariat": agenda_table.READ_PUBLISHED + agenda_table.READ_DRAFT + agenda_table.EDIT + ["agenda:index"],
}

# Answers that are files, not pages: PDFs, CSV, calendars, archives, uploaded files.
NOT_PAGES = {
    "meetings:letter_pdf",
    "meetings:addendum_pdf",
    "meetings:calendar",
    "registration:meeting_csv",
    "registration:visa_letter",
    "documents:zip",
    "documents:td_template",
    "documents:file",
    "documents:td_draft_file",
    "agenda:agenda_pdf",
    "agenda:agenda_draft_pdf",
    "agenda:time_plan_pdf",
    "agenda:time_plan_draft_pdf",
    "agenda:time_plan_ics",
    "agenda:calendar_feed",
    "meetings:pdf_job_file",
}
# Pages outside the four domain apps' tables.
ACCOUNT_PAGES = {
    "anonymous": ["home", "account_login", "account_signup", "account_reset_password"],
    "signed_in": ["home", "profile", "account_email", "account_change_password", "account_reauthenticate"],
}
# Other project URLs that are no page of the portal (the admin has its own templates; health answers JSON; the
# language switcher posts to Django's set_language, which redirects).
NOT_PORTAL_PAGES = {"health", "set_language"}

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def build_world(secretariat):
    """One announced hybrid meeting with a side event, a published agenda and time plan, documents of every
    kind, a pending registration in the focal point's queue and a visa request; and the people of each role."""
    focal_point = UserFactory(email="focal.point@example.org", given_name="Hana", family_name="Kim")
    entity = MemberEntityFactory(name="Republic of Korea", country="KR", focal_points=[focal_point])
    delegate = UserFactory(email="delegate@example.org", given_name="Daniel", family_name="Okafor")
    AffiliationFactory(user=delegate, entity=entity, state=Affiliation.State.APPROVED)
    chair = UserFactory(email="chair@example.org", given_name="Heung-Youl", family_name="Youm")
    chair.groups.add(Group.objects.get_or_create(name="SG17 chairs")[0])

    meeting = meetings_table.prepare_meeting(upcoming_meeting())
    _registration, registration_arguments = registration_table.registration_objects(
        meeting=meeting, delegate=delegate, entity=entity
    )
    # The focal point is an approved participant: the participants list has a line.
    RegistrationFactory(meeting=meeting, delegate=focal_point, entity=entity, state=Registration.State.APPROVED)

    load_outline(meeting, SMALL_AGENDA, by=secretariat)
    agenda_services.publish_agenda(meeting, revision=1, by=secretariat)
    add_session(meeting, secretariat, 0, "10:00", "12:00", "Opening plenary")
    agenda_services.publish_time_plan(meeting, revision=1, by=secretariat)

    documents = documents_table.documents_world(
        meeting=meeting,
        member=delegate,
        entity=entity,
        other_member=UserFactory(email="other.member@example.org"),
        by=secretariat,
    )
    # A participants list waiting for a worker: its progress page is a page of the secretariat's.
    participants_job = request_pdf_job(meeting, kind="participants", by=secretariat)
    people = {"delegate": delegate, "focal_point": focal_point, "chair": chair, "secretariat": secretariat}
    return {
        "participants_job": participants_job,
        "people": people,
        "meeting": meeting,
        "documents": documents,
        "registration_arguments": registration_arguments,
    }


def pages_for(role, world):
    """The HTML pages ``role`` may open according to the permission tables, in a stable order."""
    meeting = world["meeting"]
    urls = [reverse(name) for name in ACCOUNT_PAGES["anonymous" if role == "anonymous" else "signed_in"]]
    urls += meetings_table._listing_pages()
    if role == "secretariat":
        urls += meetings_table._secretariat_pages(meeting)
        urls.append(reverse("meetings:pdf_job", args=[world["participants_job"].pk]))
    urls += [url for url in meetings_table._public_pages(meeting) if resolve(url).view_name not in NOT_PAGES]

    if role in REGISTRATION_ROLE:
        column = registration_table.ROLES.index(REGISTRATION_ROLE[role])
        for name, method, expected in registration_table.TABLE:
            if method == "get" and expected[column] == 200 and f"registration:{name}" not in NOT_PAGES:
                urls.append(reverse(f"registration:{name}", kwargs=world["registration_arguments"][name]))

    if role in DOCUMENTS_ROLE:
        for _name, method, url, expected in documents_table.TABLE:
            address = url(world["documents"])
            page = method == "get" and resolve(address.split("?")[0]).view_name not in NOT_PAGES
            if page and expected[documents_table.ROLES.index(DOCUMENTS_ROLE[role])] == 200:
                urls.append(address)

    for name in AGENDA_NAMES.get(role, []):
        if name not in NOT_PAGES:
            urls.append(reverse(name) if name == "agenda:index" else agenda_table.url_of(name, meeting))
    return list(dict.fromkeys(urls))


def file_urls(world):
    """The URLs of the tables that answer with a file (PDF, CSV, calendar, archive) for the secretariat."""
    meeting = world["meeting"]
    urls = [url for url in meetings_table._public_pages(meeting) if resolve(url).view_name in NOT_PAGES]
    column = registration_table.ROLES.index("secretariat")
    for name, method, expected in registration_table.TABLE:
        if method == "get" and expected[column] == 200 and f"registration:{name}" in NOT_PAGES:
            urls.append(reverse(f"registration:{name}", kwargs=world["registration_arguments"][name]))
    # A long PDF is made by a worker and fetched from its job (rendered first by the caller).
    urls.append(reverse("meetings:pdf_job_file", args=[world["participants_job"].pk]))
    for _name, method, url, expected in documents_table.TABLE:
        address = url(world["documents"])
        secretariat = expected[documents_table.ROLES.index("secretariat")]
        if method == "get" and secretariat == 200 and resolve(address.split("?")[0]).view_name in NOT_PAGES:
            urls.append(address)
    urls += [
        agenda_table.url_of(name, meeting)
        for name in agenda_table.READ_PUBLISHED + agenda_table.READ_DRAFT
        if name in NOT_PAGES
    ]
    return list(dict.fromkeys(urls))


def project_url_names():
    """Every named URL of the portal's own apps, as ``namespace:name`` (allauth's and the admin's left out)."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                # The admin has its own templates; the REST API answers JSON and has its own tests.
                # The pages under a language prefix are a list of patterns, not a module.
                module_name = getattr(pattern.urlconf_module, "__name__", "")
                if pattern.namespace in ("admin", "api") or module_name.startswith("allauth"):
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def post_only_names(world):
    """URL names the tables reach only with POST: actions, not pages."""
    names = {resolve(url).view_name for url in meetings_table._secretariat_actions(world["meeting"])}
    names |= {f"registration:{name}" for name, method, _e in registration_table.TABLE if method == "post"}
    names -= {f"registration:{name}" for name, method, _e in registration_table.TABLE if method == "get"}
    for _name, method, url, _e in documents_table.TABLE:
        if method == "post":
            names.add(resolve(url(world["documents"])).view_name)
    names -= {
        resolve(url(world["documents"]).split("?")[0]).view_name
        for _n, m, url, _e in documents_table.TABLE
        if m == "get"
    }
    names |= set(agenda_table.EDIT_ACTIONS) | {"agenda:replace_calendar_links"}
    return names


@functools.cache
def axe():
    return Axe()


def serious_violations(page):
    """axe-core's WCAG 2.0–2.2 A/AA violations, and the best-practice ones of serious or critical impact."""
    results = axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        wcag = any(tag.startswith("wcag") for tag in violation["tags"])
        if wcag or violation["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def signed_in_context(browser, base_url, user, **options):
    """A browser context carrying the session of ``user`` (one sign-in per role, no login form needed)."""
    context = browser.new_context(base_url=base_url, **options)
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
    return context


# The outermost elements that stick out past the right edge of the window: what to fix when a page is too wide.
STICKING_OUT = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1
    && e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 3)
  .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.className ? "." + String(e.className).trim().split(/\\s+/).join(".") : ""))"""


def width_beyond(page, viewport_width):
    """None when the page fits ``viewport_width``, else its width and what sticks out."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= viewport_width:
        return None
    return f"{width} px, {page.evaluate(STICKING_OUT)}"
