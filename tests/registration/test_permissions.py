"""Every registration URL × every role, with the status code each must get.

Anonymous visitors are sent to log in; a missing right is 403; an object of another entity (or another
person) is 404: entity A's focal point sees nothing of entity B.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from meetings.models import Meeting
from registration import urls
from registration.models import Affiliation, Registration
from tests.factories import AffiliationFactory, MeetingFactory, RegistrationFactory, UserFactory

ROLES = ["anonymous", "delegate", "focal_point", "other_focal_point", "secretariat"]
LOGIN = "login"  # a redirect to the login page

# name, method, (anonymous, delegate, focal point of the entity, focal point of another entity, secretariat)
TABLE = [
    ("mine", "get", (LOGIN, 200, 200, 200, 200)),
    ("detail", "get", (LOGIN, 200, 200, 404, 200)),
    ("cancel", "post", (LOGIN, 302, 403, 404, 302)),
    ("edit", "get", (LOGIN, 200, 403, 404, 200)),
    ("request_affiliation", "get", (LOGIN, 200, 200, 200, 200)),
    ("register", "get", (LOGIN, 302, 200, 200, 200)),  # the delegate is registered already: to the registration
    ("queue", "get", (LOGIN, 403, 200, 200, 200)),
    ("queue", "post", (LOGIN, 403, 302, 404, 302)),
    ("approve", "post", (LOGIN, 403, 302, 404, 302)),
    ("reject", "post", (LOGIN, 403, 302, 404, 302)),
    ("confirm_affiliation", "post", (LOGIN, 404, 302, 404, 302)),
    ("decline_affiliation", "post", (LOGIN, 404, 302, 404, 302)),
    ("entity", "get", (LOGIN, 404, 200, 404, 200)),
    ("auto_approval", "post", (LOGIN, 404, 302, 404, 302)),
    ("delegation", "get", (LOGIN, 404, 200, 404, 200)),
    ("entities", "get", (LOGIN, 403, 403, 403, 200)),
    ("entity_create", "get", (LOGIN, 403, 403, 403, 200)),
    ("entity_edit", "get", (LOGIN, 404, 403, 404, 200)),
    ("entity_import", "get", (LOGIN, 403, 403, 403, 200)),
    ("visa_letter", "get", (LOGIN, 403, 403, 404, 200)),
    ("meeting_registrations", "get", (LOGIN, 403, 403, 403, 200)),
    ("meeting_csv", "get", (LOGIN, 403, 403, 403, 200)),
    ("participants_pdf", "get", (LOGIN, 403, 403, 403, 200)),
    ("participants_pdf", "post", (LOGIN, 403, 403, 403, 302)),  # to the PDF job's page
    ("register_someone", "get", (LOGIN, 403, 403, 403, 200)),
]


def registration_objects(*, meeting, delegate, entity):
    """The objects the table's URLs name, of ``delegate`` in ``entity`` (the accessibility tests build theirs with
    it too): a pending registration for ``meeting``, a newcomer's pending affiliation, and an approved registration
    with a visa request for a physical meeting. Returns the registration and the URLs' keyword arguments."""
    registration = RegistrationFactory(meeting=meeting, delegate=delegate, entity=entity)
    newcomer = UserFactory(email="newcomer@example.org")
    affiliation = AffiliationFactory(user=newcomer, entity=entity, state=Affiliation.State.PENDING)
    physical = MeetingFactory(format="physical", first_day=datetime.date.today() + datetime.timedelta(days=60))
    visa = RegistrationFactory(
        meeting=physical,
        delegate=delegate,
        entity=entity,
        state=Registration.State.APPROVED,
        visa_support_requested=True,
        nationality="NG",
        passport_number="A1234567",
    )
    arguments = url_arguments(
        meeting=meeting, entity=entity, registration=registration, affiliation=affiliation, visa=visa
    )
    return registration, arguments


def url_arguments(*, meeting, entity, registration, affiliation, visa):
    """The keyword arguments of each URL of the table (also used by the accessibility tests)."""
    return {
        "mine": {},
        "detail": {"pk": registration.pk},
        "cancel": {"pk": registration.pk},
        "edit": {"pk": registration.pk},
        "request_affiliation": {},
        "register": {"meeting_pk": meeting.pk},
        "queue": {},
        "approve": {"pk": registration.pk},
        "reject": {"pk": registration.pk},
        "confirm_affiliation": {"pk": affiliation.pk},
        "decline_affiliation": {"pk": affiliation.pk},
        "entity": {"pk": entity.pk},
        "auto_approval": {"pk": entity.pk},
        "delegation": {"pk": entity.pk, "meeting_pk": meeting.pk},
        "entities": {},
        "entity_create": {},
        "entity_edit": {"pk": entity.pk},
        "entity_import": {},
        "visa_letter": {"pk": visa.pk},
        "meeting_registrations": {"meeting_pk": meeting.pk},
        "meeting_csv": {"meeting_pk": meeting.pk},
        "participants_pdf": {"meeting_pk": meeting.pk},
        "register_someone": {"meeting_pk": meeting.pk},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "expected"), TABLE, ids=[f"{n}-{m}" for n, m, _e in TABLE])
def test_registration_url_answers_each_role(client, world, name, method, expected, role):
    people, arguments, post_data, registration = world
    if people[role]:
        client.force_login(people[role])
    url = reverse(f"registration:{name}", kwargs=arguments[name])

    response = getattr(client, method)(url, post_data.get(name, {}))

    wanted = expected[ROLES.index(role)]
    if wanted == LOGIN:
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == wanted
        if wanted == 302:
            assert not response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_registration_permission_table_covers_every_url():
    assert {p.name for p in urls.urlpatterns} == {name for name, _method, _expected in TABLE}


# The URLs that name a meeting, for a draft meeting, asked by the chair of its study group (who may read the draft
# meeting itself: ``meetings.rules``) and by the chair of another study group. A draft takes no registrations,
# whoever asks (404), and the secretariat's pages are refused on the missing right before any meeting is looked up.
CHAIR_ROLES = ["chair", "chair_of_another_study_group"]
DRAFT_MEETING_TABLE = [
    ("register", "get", (404, 404)),
    ("delegation", "get", (404, 404)),  # no focal point of the entity
    ("meeting_registrations", "get", (403, 403)),
    ("meeting_csv", "get", (403, 403)),
    ("participants_pdf", "get", (403, 403)),
    ("participants_pdf", "post", (403, 403)),
    ("register_someone", "get", (403, 403)),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", CHAIR_ROLES)
@pytest.mark.parametrize(
    ("name", "method", "expected"), DRAFT_MEETING_TABLE, ids=[f"{n}-{m}" for n, m, _e in DRAFT_MEETING_TABLE]
)
def test_registration_url_of_a_draft_meeting_answers_each_chair(client, world, name, method, expected, role, request):
    _people, arguments, post_data, registration = world
    Meeting.objects.filter(pk=registration.meeting_id).update(state=Meeting.State.DRAFT)
    client.force_login(request.getfixturevalue(role))

    response = getattr(client, method)(reverse(f"registration:{name}", kwargs=arguments[name]), post_data.get(name, {}))

    assert response.status_code == expected[CHAIR_ROLES.index(role)]


def test_registration_draft_meeting_table_covers_every_url_naming_a_meeting():
    naming_a_meeting = {p.name for p in urls.urlpatterns if "meeting_pk" in p.pattern.regex.groupindex}
    assert naming_a_meeting == {name for name, _method, _expected in DRAFT_MEETING_TABLE}
