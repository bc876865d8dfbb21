import pytest

from accounts import demo as accounts_demo
from registration import demo
from registration.models import Affiliation, MemberEntity, Registration

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(MemberEntity.objects.values_list("name", "category", "auto_approval")),
        sorted(Affiliation.objects.values_list("user__email", "entity__name", "state")),
        sorted(Registration.objects.values_list("delegate__email", "state", "approved_automatically")),
    )


def test_demo_load_twice_changes_nothing():
    accounts_demo.load()
    demo.load()
    first = snapshot()

    demo.load()

    assert snapshot() == first
    assert first[2] == [
        ("delegate@example.org", "pending", False),
        ("focal.point@example.org", "approved", True),
        ("ji-woo.park@example.org", "pending", False),
        ("marc.favre@example.org", "approved", True),
    ]
    assert {category for _name, category, _auto in first[0]} == {
        "administration",
        "sector_member",
        "associate",
        "academia",
    }
    assert any(auto for _name, _category, auto in first[0])
