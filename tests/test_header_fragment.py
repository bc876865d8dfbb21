"""The header of every page (base.html) is a cached fragment, kept per person, page and language. Each request still
gets its own CSRF token and its own address in the language switcher, and each change of what the header shows (a
name, a right, an approval waiting) is on the next request."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from registration import services
from tests.clients import signed_in
from tests.factories import member_of

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def header(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<header class="portal-header">') : html.index("</header>")]


def switcher_next(html: str) -> str:
    return re.search(r'<input type="hidden" name="next" value="([^"]*)">', html).group(1)


def test_each_person_gets_their_own_header(secretariat, member):
    meetings = reverse("meetings:index")
    theirs, mine = header(signed_in(secretariat), meetings), header(signed_in(member), meetings)
    assert 'id="secretariat-menu"' in theirs
    assert 'id="secretariat-menu"' not in mine
    assert f">{member.get_short_name()}</a>" in mine
    assert f">{secretariat.get_short_name()}</a>" in theirs
    assert "Log in" not in mine
    anonymous = header(Client(), meetings)
    assert "Log in" in anonymous
    assert "Log out" not in anonymous
    assert "csrfmiddlewaretoken" not in anonymous


def test_each_request_gets_its_own_token_and_can_log_out(member):
    client = signed_in(member, enforce_csrf_checks=True)
    first, second = header(client, "/"), header(client, "/")
    assert TOKEN.search(first).group(1) != TOKEN.search(second).group(1)  # a token is masked anew each time
    logged_out = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": TOKEN.search(second).group(1)})
    assert logged_out.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_language_switcher_comes_back_to_each_requests_own_address(member):
    client = signed_in(member)
    url = reverse("meetings:index")
    assert switcher_next(header(client, url)) == url
    assert switcher_next(header(client, f"{url}?study_group=17&x=<b>")) == f"{url}?study_group=17&amp;x=%3Cb%3E"
    assert switcher_next(header(client, f"{url}?page=2")) == f"{url}?page=2"


def test_the_page_in_the_menu_is_the_page_shown(member):
    client = signed_in(member)
    for name, label in [("meetings:index", "Meetings"), ("documents:index", "Documents"), ("agenda:index", "Agendas")]:
        html = header(client, reverse(name))
        current = re.findall(r'<a class="nav-link active" href="[^"]+" aria-current="page">([^<]+)</a>', html)
        assert current == [label]
    assert 'aria-current="page"' not in header(client, "/")


def test_a_changed_name_or_right_is_on_the_next_request(member, secretariat_group):
    client = signed_in(member)
    assert f">{member.get_short_name()}</a>" in header(client, "/")
    member.given_name = "Danielle"
    member.save()
    assert ">Danielle</a>" in header(client, "/")
    member.groups.add(secretariat_group)
    assert 'id="secretariat-menu"' in header(client, "/")
    member.is_staff = True
    member.save()
    assert reverse("admin:index") in header(client, "/")
    member.groups.remove(secretariat_group)
    assert 'id="secretariat-menu"' not in header(client, "/")


def test_an_approval_waiting_is_on_the_focal_points_next_request(meeting, entity, focal_point):
    client = signed_in(focal_point)
    assert 'id="approvals-badge"' not in header(client, "/")
    newcomer = member_of(entity)
    services.register(meeting, delegate=newcomer, entity=entity, by=newcomer)
    assert 'id="approvals-badge">1<' in header(client, "/")


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_each_language_has_its_own_header(member, language):
    client = signed_in(member)
    english = header(client, "/")
    translated = header(client, f"/{language}/")
    assert "Main navigation" in english
    assert "Main navigation" not in translated
    assert f'lang="{language}" aria-current="true"' in translated


def test_a_header_brought_along_with_the_pages_first_read_still_shows_each_change(meeting, entity, focal_point):
    """On a meeting's page the header's fragment comes with the page's first read from the cache
    (``context_processors.HeaderAlongMiddleware``): it is the same header, and as current."""
    client = signed_in(focal_point)
    url = reverse("meetings:detail", args=[meeting.pk])
    header(client, url)  # rendered and stored
    assert 'id="approvals-badge"' not in header(client, url)  # brought along
    newcomer = member_of(entity)
    services.register(meeting, delegate=newcomer, entity=entity, by=newcomer)
    assert 'id="approvals-badge">1<' in header(client, url)
    focal_point.given_name = "Fatou"
    focal_point.save()
    assert ">Fatou</a>" in header(client, url)


def test_registrations_and_decisions_leave_a_delegates_header_as_kept(
    on_redis, meeting, entity, focal_point, member, redis_commands
):
    """The approvals waiting are rendered on each request between the header's two kept fragments: a wave of
    registrations and decisions before a deadline does not make every person's header be rendered again."""
    client = signed_in(member)
    url = reverse("meetings:detail", args=[meeting.pk])
    kept = header(client, url)
    newcomer = member_of(entity)
    registration = services.register(meeting, delegate=newcomer, entity=entity, by=newcomer)
    services.approve_registration(registration, by=focal_point)
    redis_commands.clear()
    assert TOKEN.sub("", header(client, url)) == TOKEN.sub("", kept)
    stored = [command for command in redis_commands if command[0] == "SET" and ".portal_header" in command[1]]
    assert stored == []


def test_the_approvals_are_between_the_registrations_and_the_documents(meeting, entity, focal_point):
    client = signed_in(focal_point)
    newcomer = member_of(entity)
    services.register(meeting, delegate=newcomer, entity=entity, by=newcomer)
    for url in ("/", reverse("registration:queue")):
        html = header(client, url)
        entries = re.findall(r'<li class="nav-item"><a class="nav-link[^"]*" href="([^"]+)"', html)
        mine, queue, documents = reverse("registration:mine"), reverse("registration:queue"), reverse("documents:index")
        assert entries.index(mine) + 1 == entries.index(queue) == entries.index(documents) - 1, entries
        assert 'id="approvals-badge">1<' in html
    assert 'aria-current="page">Approvals' in header(client, reverse("registration:queue"))
