"""A button is shown exactly when the service behind it would accept: both ask the same rule (documents.rules).

For each case the page is read as the person sees it (is the button there?) and the service is then called as that
person (does it accept?); the two answers must agree, and be the expected one.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from documents import services, td_queue
from documents.models import Document, Scope
from meetings.models import KeyDeadline, Meeting
from tests.documents.factories import upload

POST_CONTRIBUTION = "Post a contribution"
POST_REVISION = "Post a new revision"
POST_TD = "Post a TD"


def close_contributions(meeting):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    KeyDeadline.objects.filter(meeting=meeting, kind=KeyDeadline.Kind.CONTRIBUTIONS).update(day=yesterday)


def page_offers(person, url, button, target) -> bool:
    """Whether the page at ``url`` shows ``person`` the button labelled ``button`` leading to ``target``."""
    client = Client()
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    return f'href="{target}">{button}</a>' in body


def accepts(call) -> bool:
    try:
        call()
    except services.DocumentError:
        return False
    return True


@pytest.fixture
def people(member, secretariat):
    return {"member": member, "secretariat": secretariat}


@pytest.mark.parametrize(
    ("who", "deadline", "expected"),
    [
        ("member", "open", True),
        ("member", "passed", False),
        ("secretariat", "open", True),
        ("secretariat", "passed", True),  # accepted late
    ],
)
def test_post_contribution_button_shown_exactly_when_the_service_accepts(
    people, meeting, entity, who, deadline, expected
):
    if deadline == "passed":
        close_contributions(meeting)
    person = people[who]
    target = reverse("documents:post_contribution", args=[meeting.pk])
    on_list = page_offers(person, reverse("documents:list", args=[meeting.pk]), POST_CONTRIBUTION, target)
    on_meeting_page = page_offers(person, meeting.get_absolute_url(), POST_CONTRIBUTION, target)
    client = Client()
    client.force_login(person)
    form_offered = client.get(target).context["closed_message"] is None

    accepted = accepts(
        lambda: services.post_contribution(meeting, entity=entity, title="C", files=[upload()], by=person)
    )

    assert (on_list, on_meeting_page, form_offered, accepted) == (expected,) * 4
    if accepted:
        assert Document.objects.get().is_late == (deadline == "passed")


@pytest.mark.parametrize(
    ("who", "deadline", "expected"),
    [
        ("member", "open", True),
        ("member", "passed", False),
        ("secretariat", "open", True),
        ("secretariat", "passed", True),  # a late revision
    ],
)
def test_revise_button_shown_exactly_when_the_service_accepts(people, meeting, entity, member, who, deadline, expected):
    document = services.post_contribution(meeting, entity=entity, title="C", files=[upload()], by=member)
    if deadline == "passed":
        close_contributions(meeting)
    person = people[who]
    shown = page_offers(
        person, document.get_absolute_url(), POST_REVISION, reverse("documents:revise", args=[document.pk])
    )

    accepted = accepts(lambda: services.add_revision(document, files=[upload()], by=person))

    assert (shown, accepted) == (expected, expected)


@pytest.mark.parametrize(("who", "expected"), [("member", False), ("secretariat", True)])
def test_post_td_button_shown_exactly_when_the_service_accepts(people, meeting, who, expected):
    person = people[who]
    target = reverse("documents:post_td", args=[meeting.pk])
    on_list = page_offers(person, reverse("documents:list", args=[meeting.pk]), POST_TD, target)
    on_meeting_page = page_offers(person, meeting.get_absolute_url(), POST_TD, target)

    td = accepts(
        lambda: services.post_td(meeting, title="TD", source="Editor", scope=Scope.PLEN, files=[upload()], by=person)
    )
    letter = accepts(lambda: services.post_collective_letter(meeting, title="L", files=[upload()], by=person))

    assert (on_list, on_meeting_page, td, letter) == (expected,) * 4


@pytest.mark.parametrize(("who", "expected"), [("member", False), ("secretariat", True)])
def test_td_queue_refuses_exactly_who_the_queue_page_refuses(people, meeting, member, who, expected):
    person = people[who]
    client = Client()
    client.force_login(person)
    page_open = client.get(reverse("documents:td_queue")).status_code == 200
    posted = td_queue.submit_td_draft(meeting, files=[upload()], by=member, subject="To post")
    declined = td_queue.submit_td_draft(meeting, files=[upload()], by=member, subject="To decline")

    post = accepts(
        lambda: td_queue.post_td_from_draft(
            posted, meeting=meeting, title="TD", source="Editor", scope="PLEN", by=person
        )
    )
    decline = accepts(lambda: td_queue.decline_td_draft(declined, reason="Out of scope", by=person))

    assert (page_open, post, decline) == (expected,) * 3


@pytest.mark.parametrize(("state", "expected"), [(Meeting.State.ANNOUNCED, True), (Meeting.State.CLOSED, False)])
def test_send_td_draft_button_shown_exactly_when_the_service_accepts(member, meeting, state, expected):
    Meeting.objects.filter(pk=meeting.pk).update(state=state)
    meeting.refresh_from_db()
    target = reverse("documents:submit_td_draft", args=[meeting.pk])
    shown = page_offers(member, reverse("documents:list", args=[meeting.pk]), "Send a draft TD", target)

    accepted = accepts(lambda: td_queue.submit_td_draft(meeting, files=[upload()], by=member))

    assert (shown, accepted) == (expected, expected)


def test_refusals_are_portal_errors_with_the_status_of_their_case(meeting, entity, member):
    close_contributions(meeting)
    with pytest.raises(services.DeadlinePassed) as late:
        services.post_contribution(meeting, entity=entity, title="C", files=[upload()], by=member)
    with pytest.raises(services.NotAllowed) as not_secretariat:
        services.post_td(meeting, title="TD", source="Editor", scope=Scope.PLEN, files=[upload()], by=member)
    assert (late.value.status, not_secretariat.value.status) == (403, 403)
    assert not_secretariat.value.message == "Only the secretariat posts TDs; send your draft to the TD queue."


@pytest.mark.parametrize(("who", "expected"), [("member", False), ("secretariat", True)])
def test_entity_offered_on_the_form_exactly_when_the_service_accepts_it(
    people, meeting, entity, other_entity, who, expected
):
    person = people[who]
    client = Client()
    client.force_login(person)
    choices = client.get(reverse("documents:post_contribution", args=[meeting.pk])).context["form"]["entity"]
    offered = str(other_entity.pk) in [str(choice.data["value"]) for choice in choices]

    accepted = accepts(
        lambda: services.post_contribution(meeting, entity=other_entity, title="C", files=[upload()], by=person)
    )

    assert (offered, accepted) == (expected, expected)
