"""The home page lists what needs the person's action, per role; the menu shows the approvals waiting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Document, Kind, Revision, TdDraft
from meetings.models import Meeting
from registration.models import Affiliation, Registration
from tests.factories import (
    AffiliationFactory,
    MemberEntityFactory,
    RegistrationFactory,
    UserFactory,
    open_meeting,
)

pytestmark = pytest.mark.django_db


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_home_has_no_action_list_and_no_approvals_menu(client):
    open_meeting()

    page = home(client)

    assert 'id="home-actions"' not in page
    assert 'id="approvals-menu"' not in page


def test_new_person_is_told_to_verify_and_to_ask_for_membership(client):
    person = UserFactory()
    person.emailaddress_set.update(verified=False)
    client.force_login(person)

    page = home(client)

    assert 'id="home-verify"' in page
    assert reverse("registration:request_affiliation") in page.split('id="home-membership"')[1].split("</li>")[0]
    assert 'id="approvals-menu"' not in page


def test_pending_affiliation_is_shown_as_waiting(client):
    affiliation = AffiliationFactory(state=Affiliation.State.PENDING)
    client.force_login(affiliation.user)

    page = home(client)

    assert f"confirmed as a member of {affiliation.entity.name} waits" in page
    assert 'id="home-verify"' not in page


def test_delegate_sees_registration_state_deadlines_and_drafts(client):
    meeting = open_meeting()
    affiliation = AffiliationFactory()
    RegistrationFactory(meeting=meeting, delegate=affiliation.user, entity=affiliation.entity)
    TdDraft.objects.create(
        meeting=meeting,
        channel=TdDraft.Channel.UPLOAD,
        submitted_by=affiliation.user,
        sender_email=affiliation.user.email,
        subject="Draft liaison to SG13",
    )
    client.force_login(affiliation.user)

    page = home(client)

    registrations = page.split('id="home-registrations"')[1].split("</ul>")[0]
    assert meeting.display_title in registrations
    assert "Pending approval" in registrations
    deadlines = page.split('id="home-deadlines"')[1].split("</ul>")[0]
    assert "Member contributions" in deadlines
    assert "Draft liaison to SG13" in page.split('id="home-td-drafts"')[1]


def test_deadlines_passed_are_not_listed(client):
    meeting = open_meeting()
    meeting.deadlines.filter(kind="registration").update(day=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(AffiliationFactory().user)

    deadlines = home(client).split('id="home-deadlines"')[1].split("</ul>")[0]

    assert "Registration" not in deadlines
    assert "Member contributions" in deadlines


def test_focal_point_sees_pending_count_per_meeting_with_requests_and_a_menu_badge(client):
    focal_point = UserFactory()
    entity = MemberEntityFactory(focal_points=[focal_point])
    first, second = open_meeting(), open_meeting(first_day=timezone.localdate() + datetime.timedelta(days=150))
    RegistrationFactory(meeting=first, entity=entity, fellowship_requested=True)
    RegistrationFactory(meeting=first, entity=entity, visa_support_requested=True)
    RegistrationFactory(meeting=second, entity=entity)
    RegistrationFactory(meeting=second, entity=entity, state=Registration.State.APPROVED)
    RegistrationFactory(meeting=second)  # another entity's
    client.force_login(focal_point)

    page = home(client)

    assert page.split('id="approvals-badge"')[1].startswith(">3<")
    by_meeting = page.split('id="home-pending-by-meeting"')[1].split("</ul>")[0]
    assert f'href="/registration/queue/?meeting={first.pk}"' in by_meeting
    assert f'href="/registration/queue/?meeting={second.pk}"' in by_meeting
    assert "1 fellowship request" in by_meeting
    assert "1 visa support request" in by_meeting


def test_focal_point_with_nothing_waiting_has_the_menu_entry_without_badge(client):
    focal_point = UserFactory()
    MemberEntityFactory(focal_points=[focal_point])
    client.force_login(focal_point)

    page = home(client)

    assert 'id="approvals-menu"' in page
    assert 'id="approvals-badge"' not in page
    assert "No registration waits for your decision." in page


def test_secretariat_sees_td_queue_late_postings_and_meetings_not_ready(client, secretariat):
    meeting = open_meeting()
    TdDraft.objects.create(meeting=meeting, channel=TdDraft.Channel.MAIL, sender_email="x@example.org", subject="x")
    document = Document.objects.create(
        study_group=meeting.study_group,
        study_period=meeting.study_period,
        meeting=meeting,
        kind=Kind.CONTRIBUTION,
        number=7,
        title="Late proposal",
        is_late=True,
    )
    Revision.objects.create(document=document, number=0, is_late=True)
    draft = open_meeting(state=Meeting.State.DRAFT, format=Meeting.Format.PHYSICAL, venue="", signatory="")
    client.force_login(secretariat)

    page = home(client)

    assert "1 draft TD waits to be numbered and posted" in page
    assert document.display_name in page.split('id="home-late-postings"')[1]
    gaps = page.split('id="home-announcement-gaps"')[1].split("</section>")[0]
    assert f'href="/meetings/{draft.pk}/manage/"' in gaps
    assert "a signatory" in gaps
    assert "a venue" in gaps


def test_badge_costs_no_query_once_kept(client, django_assert_num_queries):
    focal_point = UserFactory()
    entity = MemberEntityFactory(focal_points=[focal_point])
    for _n in range(3):
        RegistrationFactory(meeting=open_meeting(), entity=entity)
    client.force_login(focal_point)
    client.get(reverse("meetings:index"))

    # The study groups and their meetings listed: the person's row (accounts.kept_user), their groups (the
    # secretariat menu) and the approvals waiting (the badge) are kept between requests
    # (sg17portal.pagecache.kept_per_person).
    with django_assert_num_queries(2):
        response = client.get(reverse("meetings:index"))
    assert 'id="approvals-badge">3<' in response.content.decode()


def test_queue_filtered_by_meeting_shows_fellowship_and_visa_requests(client):
    focal_point = UserFactory()
    entity = MemberEntityFactory(focal_points=[focal_point])
    first, second = open_meeting(), open_meeting(first_day=timezone.localdate() + datetime.timedelta(days=150))
    wanted = RegistrationFactory(meeting=first, entity=entity, fellowship_requested=True, visa_support_requested=True)
    other = RegistrationFactory(meeting=second, entity=entity)
    client.force_login(focal_point)

    page = client.get(reverse("registration:queue"), {"meeting": first.pk}).content.decode()

    assert f'data-registration="{wanted.pk}"' in page
    assert f'data-registration="{other.pk}"' not in page
    row = page.split(f'data-registration="{wanted.pk}"')[1].split("</tr>")[0]
    assert "fellowship requested" in row
    assert "visa support requested" in row
    assert f'<option value="{first.pk}" selected>' in page


def test_to_approve_mail_names_the_fellowship_and_visa_requests():
    from notifications.models import OutgoingMail
    from registration import services

    focal_point = UserFactory()
    entity = MemberEntityFactory(focal_points=[focal_point])
    delegate = AffiliationFactory(entity=entity).user
    meeting = open_meeting(format="hybrid", venue="ITU headquarters, Geneva")

    services.register(
        meeting,
        delegate=delegate,
        entity=entity,
        by=delegate,
        participation="in_person",
        fellowship_requested=True,
        visa_support_requested=True,
        nationality="NG",
        passport_number="A1234567",
    )

    mail = OutgoingMail.objects.get(recipient=focal_point.email)
    assert "Fellowship requested: TSB considers it once you approve the registration." in mail.body_text
    assert "Visa support requested: the secretariat issues the visa-support letter" in mail.body_text
