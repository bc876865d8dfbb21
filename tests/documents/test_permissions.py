"""Every documents URL against every role: 302 to log in, 403 for a missing right, 404 for what is not yours."""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from documents import services, td_queue, urls
from documents.models import Scope
from documents.uploads import check_files
from meetings.models import Meeting
from registration.models import Affiliation
from tests.documents.factories import upload
from tests.factories import UserFactory

ROLES = ("anonymous", "non_member", "poster", "other_member", "secretariat")


@pytest.fixture
def world(meeting, member, entity, other_member, secretariat):
    return documents_world(meeting=meeting, member=member, entity=entity, other_member=other_member, by=secretariat)


def documents_world(*, meeting, member, entity, other_member, by):
    """A document of each kind and the people of each role (the accessibility tests build theirs with it too)."""
    secretariat = by
    contribution = services.post_contribution(meeting, entity=entity, title="C", files=[upload()], by=member)
    td = services.post_td(meeting, title="TD", source="Editor", scope=Scope.PLEN, files=[upload()], by=secretariat)
    letter = services.post_collective_letter(
        meeting, title="Invitation", files=[upload("letter.pdf", b"%PDF-1.4\n")], by=secretariat
    )
    draft = td_queue.submit_td_draft(meeting, files=[upload()], by=member, subject="Draft")
    confirmation = td_queue.new_confirmation_token()
    td_queue.create_td_draft(
        checked=check_files([upload()]), channel="mail", sender_email="x@example.net", confirmation_token=confirmation
    )
    users = {
        "non_member": UserFactory(email="outsider@example.org"),
        "poster": member,
        "other_member": other_member,
        "secretariat": secretariat,
    }
    return {
        "meeting": meeting,
        "C": contribution,
        "TD": td,
        "COL": letter,
        "draft": draft,
        "confirmation": confirmation,
        "users": users,
    }


def first_file(document):
    return document.revisions.get(number=0).files.get()


def file_url(document):
    file = first_file(document)
    return reverse("documents:file", args=[file.pk, file.name])


# One status per role, in the order of ROLES: anonymous, signed in but no member, the member who posted the
# contribution and sent the draft TD, a member of another entity, the secretariat.
ALL_READ = (302, 403, 200, 200, 200)
PUBLIC = (200, 200, 200, 200, 200)
SECRETARIAT_ONLY = (302, 403, 403, 403, 200)
POSTER_OR_SECRETARIAT = (302, 403, 200, 403, 200)
DRAFT_OWNER = (302, 404, 200, 404, 200)

TABLE = [
    ("index", "get", lambda w: reverse("documents:index"), PUBLIC),
    ("list", "get", lambda w: reverse("documents:list", args=[w["meeting"].pk]), ALL_READ),
    ("contributions", "get", lambda w: reverse("documents:contributions", args=[w["meeting"].pk]), ALL_READ),
    ("tds", "get", lambda w: reverse("documents:tds", args=[w["meeting"].pk]), ALL_READ),
    ("search", "get", lambda w: reverse("documents:list", args=[w["meeting"].pk]) + "?q=C", ALL_READ),
    ("zip", "get", lambda w: reverse("documents:zip", args=[w["meeting"].pk]), ALL_READ),
    ("td template", "get", lambda w: reverse("documents:td_template", args=[w["meeting"].pk]), ALL_READ),
    ("post contribution", "get", lambda w: reverse("documents:post_contribution", args=[w["meeting"].pk]), ALL_READ),
    ("send TD draft", "get", lambda w: reverse("documents:submit_td_draft", args=[w["meeting"].pk]), ALL_READ),
    ("post TD", "get", lambda w: reverse("documents:post_td", args=[w["meeting"].pk]), SECRETARIAT_ONLY),
    ("contribution page", "get", lambda w: w["C"].get_absolute_url(), ALL_READ),
    ("contribution file", "get", lambda w: file_url(w["C"]), ALL_READ),
    ("TD page", "get", lambda w: w["TD"].get_absolute_url(), ALL_READ),
    ("TD file", "get", lambda w: file_url(w["TD"]), ALL_READ),
    ("letter page", "get", lambda w: w["COL"].get_absolute_url(), PUBLIC),
    ("letter file", "get", lambda w: file_url(w["COL"]), PUBLIC),
    ("revise contribution", "get", lambda w: reverse("documents:revise", args=[w["C"].pk]), POSTER_OR_SECRETARIAT),
    ("revise TD", "get", lambda w: reverse("documents:revise", args=[w["TD"].pk]), SECRETARIAT_ONLY),
    ("withdraw contribution", "get", lambda w: reverse("documents:withdraw", args=[w["C"].pk]), POSTER_OR_SECRETARIAT),
    ("withdraw TD", "get", lambda w: reverse("documents:withdraw", args=[w["TD"].pk]), SECRETARIAT_ONLY),
    ("TD queue", "get", lambda w: reverse("documents:td_queue"), SECRETARIAT_ONLY),
    ("TD draft", "get", lambda w: w["draft"].get_absolute_url(), DRAFT_OWNER),
    (
        "TD draft file",
        "get",
        lambda w: reverse("documents:td_draft_file", args=[w["draft"].files.get().pk]),
        DRAFT_OWNER,
    ),
    (
        "post TD draft",
        "post",
        lambda w: w["draft"].get_absolute_url(),
        (302, 404, 403, 404, 200),
    ),
    (
        "decline TD draft",
        "post",
        lambda w: reverse("documents:td_draft_decline", args=[w["draft"].pk]),
        (302, 404, 403, 404, 302),
    ),
    # The link mailed to the sender of a mailed draft is the proof: no login, the same page for everyone.
    (
        "confirm mailed TD draft",
        "get",
        lambda w: reverse("documents:td_draft_confirm", args=[w["confirmation"]]),
        PUBLIC,
    ),
    # Anyone signed in may follow the daily digest of a public meeting; it lists only what he or she may read.
    ("digest", "post", lambda w: reverse("documents:digest", args=[w["meeting"].pk]), (302, 302, 302, 302, 302)),
]


def status_by_role(world, method, url) -> tuple[int, ...]:
    """The status each role gets, in the order of ROLES."""
    statuses = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world["users"][role])
        response = getattr(client, method)(url, {"reason": "Out of scope"} if method == "post" else None)
        statuses[role] = response.status_code
        if role == "anonymous" and response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login") + "?next=")
    return tuple(statuses[role] for role in ROLES)


@pytest.mark.parametrize(("name", "method", "url", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_permission_table(world, name, method, url, expected):
    assert status_by_role(world, method, url(world)) == expected


def test_permission_table_covers_every_url(world):
    tested = {resolve(url(world).split("?")[0]).url_name for _name, _method, url, _expected in TABLE}
    assert sorted(tested) == sorted(p.name for p in urls.urlpatterns)


def test_permission_documents_of_a_draft_meeting_hidden_but_from_the_secretariat(world):
    Meeting.objects.filter(pk=world["meeting"].pk).update(state=Meeting.State.DRAFT)
    expected = (404, 404, 404, 404, 200)
    assert status_by_role(world, "get", world["C"].get_absolute_url()) == expected
    assert status_by_role(world, "get", file_url(world["C"])) == expected
    assert status_by_role(world, "get", reverse("documents:list", args=[world["meeting"].pk])) == expected


# Every URL of the table once the meeting is a draft, for the chair of its study group (who reads the draft meeting:
# ``meetings.rules``) and the chair of another study group (to whom it does not exist). A chair is no member: the
# restricted documents stay refused (403) while the collective letter is read.
DRAFT_MEETING_CHAIRS = {
    "index": (200, 200),
    "list": (403, 404),
    "contributions": (403, 404),
    "tds": (403, 404),
    "search": (403, 404),
    "zip": (403, 404),
    "td template": (403, 404),
    "post contribution": (403, 404),
    "send TD draft": (403, 404),
    "post TD": (403, 404),
    "contribution page": (403, 404),
    "contribution file": (403, 404),
    "TD page": (403, 404),
    "TD file": (403, 404),
    "letter page": (200, 404),
    "letter file": (200, 404),
    "revise contribution": (403, 404),
    "revise TD": (403, 404),
    "withdraw contribution": (403, 404),
    "withdraw TD": (403, 404),
    "TD queue": (403, 403),
    "TD draft": (404, 404),
    "TD draft file": (404, 404),
    "post TD draft": (404, 404),
    "decline TD draft": (404, 404),
    "confirm mailed TD draft": (200, 200),
    "digest": (302, 404),
}


def test_permission_table_of_a_draft_meeting_for_the_chairs(world, chair, chair_of_another_study_group):
    Meeting.objects.filter(pk=world["meeting"].pk).update(state=Meeting.State.DRAFT)
    answers = {}
    for name, method, url, _expected in TABLE:
        statuses = []
        for person in (chair, chair_of_another_study_group):
            client = Client()
            client.force_login(person)
            statuses.append(
                getattr(client, method)(url(world), {"reason": "x"} if method == "post" else None).status_code
            )
        answers[name] = tuple(statuses)
    assert answers == DRAFT_MEETING_CHAIRS


def test_permission_file_under_another_name_not_found(client, world):
    client.force_login(world["users"]["poster"])
    file = first_file(world["C"])
    assert client.get(reverse("documents:file", args=[file.pk, "passwd.docx"])).status_code == 404


def test_permission_lost_membership_takes_effect_on_the_next_request(client, world):
    member = world["users"]["other_member"]
    client.force_login(member)
    url = file_url(world["C"])
    assert client.get(url).status_code == 200
    for affiliation in Affiliation.objects.filter(user=member):  # as the administration pages save it
        affiliation.state = Affiliation.State.DECLINED
        affiliation.save()
    assert client.get(url).status_code == 403
    assert client.get(world["C"].get_absolute_url()).status_code == 403


def test_permission_refusal_tells_a_non_member_how_to_become_one(client, meeting):
    client.force_login(UserFactory(email="newcomer@example.org"))

    response = client.get(reverse("documents:post_contribution", args=[meeting.pk]))

    assert response.status_code == 403
    body = response.content.decode()
    assert "Meeting documents, and posting them, are for members" in body
    assert f'href="{reverse("registration:request_affiliation")}"' in body
