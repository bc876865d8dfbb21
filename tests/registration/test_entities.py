import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registration import services
from registration.models import MemberEntity
from tests.factories import MemberEntityFactory, StudyGroupFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADER = "name,category,country,associate_of,auto_approval,focal_points\n"


def test_import_entities_loads_every_category_with_focal_points():
    StudyGroupFactory(number=17)
    first, second = UserFactory(email="fp.one@example.org"), UserFactory(email="Fp.Two@example.org")
    data = (
        HEADER
        + "Administration of Switzerland,administration,CH,,yes,fp.one@example.org\n"
        + "Secure Networks AG,Sector Member,Switzerland,,no,fp.one@example.org; fp.two@example.org\n"
        + "Identity Forum,associate,DE,SG17,,\n"
        + "University of Lagos,academia,NG,,no,\n"
    )

    outcome = services.import_entities(data.encode())

    assert (outcome.created, outcome.updated) == (4, 0)
    swiss = MemberEntity.objects.get(name="Administration of Switzerland")
    assert (swiss.category, swiss.country.code, swiss.auto_approval) == ("administration", "CH", True)
    assert set(MemberEntity.objects.get(name="Secure Networks AG").focal_points.all()) == {first, second}
    assert MemberEntity.objects.get(name="Identity Forum").associate_of.number == 17


def test_import_entities_updates_an_entity_of_same_name_and_country():
    entity = MemberEntityFactory(name="Republic of Korea", country="KR", auto_approval=False)

    outcome = services.import_entities((HEADER + "republic of korea,administration,KR,,yes,\n").encode())

    entity.refresh_from_db()
    assert (outcome.created, outcome.updated, entity.auto_approval) == (0, 1, True)


def test_import_entities_bad_rows_reported_by_line_and_nothing_loaded():
    data = (
        HEADER
        + "Administration of Switzerland,administration,CH,,yes,\n"
        + "Nowhere Ltd,sector_member,Atlantis,,no,\n"
        + "Identity Forum,associate,DE,,,\n"
        + "University of Lagos,academia,NG,,no,nobody@example.org\n"
    )

    with pytest.raises(ValidationError) as error:
        services.import_entities(data.encode())

    assert error.value.messages == [
        "Line 3: unknown country 'Atlantis'.",
        "Line 4: an Associate needs the study group it is associate of.",
        "Line 5: no account with the e-mail address nobody@example.org.",
    ]
    assert MemberEntity.objects.count() == 0


def test_import_entities_missing_columns_is_reported():
    with pytest.raises(ValidationError) as error:
        services.import_entities(b"name,country\nA,CH\n")

    assert error.value.messages == ["Line 1: the columns category are missing."]


def test_entity_import_view_shows_problems(client, secretariat):
    client.force_login(secretariat)
    upload = SimpleUploadedFile("entities.csv", (HEADER + ",administration,CH,,,\n").encode(), "text/csv")

    response = client.post(reverse("registration:entity_import"), {"file": upload})

    assert response.context["problems"] == ["Line 2: the name is empty."]
    assert MemberEntity.objects.count() == 0


def test_entity_create_view_sets_focal_points(client, secretariat):
    person = UserFactory(email="hana.kim@example.org")
    client.force_login(secretariat)

    response = client.post(
        reverse("registration:entity_create"),
        {
            "name": "Republic of Korea",
            "category": "administration",
            "country": "KR",
            "focal_point_emails": "Hana.Kim@example.org",
        },
    )

    entity = MemberEntity.objects.get()
    assert response["Location"] == reverse("registration:entity", args=[entity.pk])
    assert list(entity.focal_points.all()) == [person]


def test_entity_create_view_unknown_focal_point_is_an_error(client, secretariat):
    client.force_login(secretariat)

    response = client.post(
        reverse("registration:entity_create"),
        {"name": "Republic of Korea", "category": "administration", "country": "KR", "focal_point_emails": "x@y.org"},
    )

    assert response.context["form"].errors == {"focal_point_emails": ["No account has the address x@y.org."]}
    assert MemberEntity.objects.count() == 0


@pytest.mark.parametrize(
    ("category", "associate_of", "message"),
    [
        ("associate", "", "An Associate needs the study group it is associate of."),
        ("sector_member", "study_group", "Only an Associate is associate of a study group."),
    ],
)
def test_entity_create_view_associate_rule_is_an_error_on_its_field(
    client, secretariat, category, associate_of, message
):
    group = StudyGroupFactory()
    client.force_login(secretariat)

    response = client.post(
        reverse("registration:entity_create"),
        {
            "name": "Identity Forum",
            "category": category,
            "country": "DE",
            "associate_of": group.pk if associate_of else "",
        },
    )

    assert response.context["form"].errors == {"associate_of": [message]}
    assert MemberEntity.objects.count() == 0
