"""The page cache of the public pages (sg17portal.pagecache): anonymous visitors only, one entry per address,
language and content version, never one visitor's token or one role's page served to another."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from meetings.services import override_key_deadline, save_meeting
from registration.models import Affiliation
from sg17portal.languages import LANGUAGE_CODES
from tests.factories import AffiliationFactory, MeetingFactory, MemberEntityFactory, UserFactory
from tests.meetings.factories import SideEventFactory

pytestmark = pytest.mark.django_db


def public_urls(meeting, language="en"):
    with translation.override(language):
        return [
            reverse("home"),
            reverse("meetings:index"),
            reverse("meetings:study_group", kwargs={"number": meeting.study_group.number}),
            reverse("meetings:detail", kwargs={"pk": meeting.pk}),
            reverse("meetings:letter", kwargs={"pk": meeting.pk}),
        ]


def test_a_public_page_is_rendered_once_then_served_from_the_cache(client, meeting, django_assert_num_queries):
    for url in public_urls(meeting):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first.context is not None  # rendered
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.content == first.content, url
        assert second.context is None  # from the cache


def test_anonymous_public_pages_set_no_cookie_and_carry_no_token(client, meeting):
    for url in public_urls(meeting):
        response = client.get(url)
        assert dict(response.cookies) == {}, url
        assert b"csrfmiddlewaretoken" not in response.content, url


@pytest.mark.parametrize("warm", ["en", "fr"])
def test_no_language_is_served_another_languages_page(client, meeting, warm):
    url_of = {language: public_urls(meeting, language)[3] for language in LANGUAGE_CODES}
    client.get(url_of[warm])
    for language, url in url_of.items():
        for _ in range(2):  # cold, then warm
            page = client.get(url).content.decode()
            assert f'<html lang="{language}"' in page, url


def test_the_language_in_the_key_as_well_as_in_the_address(meeting):
    """Even for one and the same address, a page stored in one language is not found in another."""
    from sg17portal.pagecache import _key

    request = RequestFactory().get(f"/meetings/{meeting.pk}/")
    keys = set()
    for language in LANGUAGE_CODES:
        with translation.override(language):
            keys.add(_key(request))
    assert len(keys) == len(LANGUAGE_CODES)


@pytest.mark.parametrize("prefers", [{"accept-language": "fr"}, {"cookie": "language=fr"}])
def test_a_bare_address_still_redirects_a_visitor_who_prefers_another_language(client, meeting, prefers):
    url = public_urls(meeting)[3]
    assert client.get(url).status_code == 200  # English, now in the cache
    answer = client.get(url, headers=prefers)
    assert (answer.status_code, answer["Location"]) == (302, f"/fr{url}")


def test_a_visitor_without_a_session_is_answered_before_the_session_and_language_are_worked_out(client, meeting):
    for url in public_urls(meeting) + public_urls(meeting, "fr"):
        rendered = client.get(url)
        assert rendered.wsgi_request.page_cache == "miss", url
        kept = client.get(url)
        request = kept.wsgi_request
        assert request.page_cache == "hit", url
        # PublicPageMiddleware answered: the session, authentication and locale middleware did not run.
        assert not hasattr(request, "session"), url
        assert not hasattr(request, "user"), url
        assert kept.content == rendered.content, url
        # With every header the middleware it skipped added (Vary, Content-Language, X-Frame-Options, …).
        assert dict(kept.headers) == dict(rendered.headers), url
        assert kept["Content-Language"] == rendered.wsgi_request.LANGUAGE_CODE, url


def test_an_anonymous_visitor_with_a_session_gets_the_same_kept_page(client, meeting):
    url = public_urls(meeting)[3]
    rendered = client.get(url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    kept = client.get(url)
    assert kept.wsgi_request.page_cache == "hit"
    assert hasattr(kept.wsgi_request, "session")  # answered once the person was known to be anonymous
    assert kept.content == rendered.content
    assert kept.headers["ETag"] == rendered.headers["ETag"]


def test_the_page_cache_answers_inside_the_headers_every_answer_gets_and_before_the_session():
    order = settings.MIDDLEWARE
    at = order.index("sg17portal.pagecache.PublicPageMiddleware")
    for outer in (
        "sg17portal.request_cache.RequestCacheMiddleware",  # its store keeps the versions read
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "sg17portal.middleware.ContentSecurityPolicyMiddleware",
    ):
        assert order.index(outer) < at, outer
    for inner in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "accounts.middleware.KeptUserAuthenticationMiddleware",
        "sg17portal.languages.PortalLocaleMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ):
        assert at < order.index(inner), inner


def test_a_change_is_on_the_very_next_request(client, meeting, secretariat):
    page = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    assert meeting.display_title in client.get(page).content.decode()
    meeting.title = "Hybrid meeting of the security group"
    save_meeting(meeting, by=secretariat)
    for url in public_urls(meeting)[2:4]:
        assert "Hybrid meeting of the security group" in client.get(url).content.decode(), url

    deadline = meeting.deadlines.get(kind="registration")
    moved = deadline.day - datetime.timedelta(days=3)
    before = client.get(page).content.decode()
    assert f"{moved:%-d %B %Y}" not in before
    override_key_deadline(deadline, day=moved, reason="Venue booked", by=secretariat)
    assert f"{moved:%-d %B %Y}" in client.get(page).content.decode()


def test_signed_in_people_never_get_the_cached_page_and_never_fill_it(client, meeting):
    member = UserFactory(email="member@example.org", given_name="Hana", family_name="Kim")
    AffiliationFactory(user=member, entity=MemberEntityFactory(), state=Affiliation.State.APPROVED)
    page = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    anonymous = client.get(page).content.decode()
    assert "Log in to register" in anonymous
    signed_in = Client()
    signed_in.force_login(member)
    for _ in range(2):
        response = signed_in.get(page)
        assert response.context is not None
        html = response.content.decode()
        assert "Hana" in html
        assert "Log in to register" not in html
    assert client.get(page).content.decode() == anonymous


def test_anonymous_pages_run_twice_cold_and_warm_show_no_member_only_data(client, meeting):
    member = UserFactory(email="member@example.org", given_name="Hana", family_name="Kim")
    AffiliationFactory(user=member, entity=MemberEntityFactory(), state=Affiliation.State.APPROVED)
    signed_in = Client()
    signed_in.force_login(member)
    for url in public_urls(meeting):
        signed_in.get(url)
        for _ in range(2):
            html = client.get(url).content.decode()
            assert "Hana" not in html, url
            assert "Log out" not in html, url


def test_a_page_with_a_message_is_neither_served_from_nor_stored_in_the_cache(client, meeting):
    page = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    plain = client.get(page).content.decode()
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(message_levels.SUCCESS, "You have signed out.")])
    with_message = client.get(page).content.decode()
    assert "You have signed out." in with_message
    client.cookies.pop("messages")
    assert client.get(page).content.decode() == plain


def test_conditional_get_304_while_unchanged_then_200_with_the_change(client, meeting, secretariat):
    page = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    first = client.get(page)
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache"
    again = client.get(page, headers={"if-none-match": etag})
    assert (again.status_code, again.content) == (304, b"")
    meeting.title = "Changed meeting title"
    save_meeting(meeting, by=secretariat)
    changed = client.get(page, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Changed meeting title" in changed.content.decode()


def test_language_switch_without_token_for_visitors_but_not_across_sites():
    client = Client(enforce_csrf_checks=True)
    switched = client.post(reverse("set_language"), {"language": "fr", "next": "/meetings/"})
    assert (switched.status_code, switched["Location"]) == (302, "/fr/meetings/")
    foreign = client.post(
        reverse("set_language"),
        {"language": "ru", "next": "/meetings/"},
        headers={"origin": "https://evil.example.org"},
    )
    assert foreign.status_code == 403


def test_a_signed_in_persons_language_switch_needs_the_token(meeting):
    member = UserFactory(email="member@example.org", language="en")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    refused = client.post(reverse("set_language"), {"language": "fr", "next": "/meetings/"})
    assert refused.status_code == 403
    member.refresh_from_db()
    assert member.language == "en"
    page = client.get(reverse("meetings:index")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        reverse("set_language"), {"language": "fr", "next": "/meetings/", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    member.refresh_from_db()
    assert member.language == "fr"


def test_an_address_with_a_query_is_rendered_and_never_stored(client, meeting, django_assert_num_queries):
    page = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    for query in ("?utm_source=mail", "?x=1", "?utm_source=mail"):
        response = client.get(page + query)
        assert response.status_code == 200
        assert response.context is not None  # rendered each time
    client.get(page)
    with django_assert_num_queries(0):
        assert client.get(page).context is None


def test_a_release_makes_every_cached_page_and_fragment_stale(client, meeting):
    """``migrate`` runs at every release; what the cache holds was rendered by the release before: the next request
    renders the page again."""
    from django.core.management.sql import emit_post_migrate_signal

    from sg17portal.pagecache import agenda_version, content_version, fragments_version, meetings_version

    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    assert client.get(url).context is not None
    assert client.get(url).context is None  # from the cache
    before = (content_version(), agenda_version(), meetings_version())
    named = {name: fragments_version(name) for name in ("registrations", "groups")}

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert content_version() != before[0]
    assert agenda_version() != before[1]
    assert meetings_version() != before[2]
    for name, version in named.items():  # the signed-in pages' fragments were rendered by the old templates too
        assert fragments_version(name) != version, name
    assert client.get(url).context is not None


def served_from_the_cache(client, url) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    return response.wsgi_request.page_cache == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_page_stored_before_its_changes_commit_is_not_served_after(client):
    # A transaction's changes replace the version at once, and once more when it commits (however many changes
    # it made): a visitor served between the two got the old rows, stored under the version of the moment.
    meeting = MeetingFactory()
    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    with transaction.atomic():
        meeting.title = "Changed"
        meeting.save()
        side_event = SideEventFactory(meeting=meeting, title="Workshop")
        side_event.title = "Workshop on PKI"
        side_event.save()
        assert not served_from_the_cache(client, url)
        assert served_from_the_cache(client, url)
    assert not served_from_the_cache(client, url)


@pytest.mark.django_db(transaction=True)
def test_a_change_after_a_rolled_back_one_is_still_replaced_at_the_commit(client):
    meeting = MeetingFactory()
    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    with transaction.atomic():
        try:
            with transaction.atomic():
                meeting.title = "Rolled back"
                meeting.save()
                raise RuntimeError
        except RuntimeError:
            pass
        meeting.refresh_from_db()
        meeting.title = "Kept"
        meeting.save()
        assert not served_from_the_cache(client, url)
    assert not served_from_the_cache(client, url)
    assert served_from_the_cache(client, url)
