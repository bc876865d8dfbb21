from django.urls import reverse
from django.utils import translation

from sg17portal.addresses import address_of


def test_an_address_for_any_id_is_what_reverse_gives_wherever_the_id_stands():
    for name in ("registration:detail", "registration:approve", "documents:detail", "api:document-detail"):
        address = address_of(name)
        for pk in (1, 7, 90, 987654, 2**40):
            assert address(pk) == reverse(name, kwargs={"pk": pk})


def test_an_address_follows_the_language_it_was_made_in_and_can_be_made_absolute():
    with translation.override("fr"):
        assert address_of("registration:approve")(12) == reverse("registration:approve", kwargs={"pk": 12})
        assert address_of("registration:approve")(12).startswith("/fr/")
    absolute = address_of("documents:detail", wrap=lambda url: "https://portal.example.org" + url)
    assert absolute(5) == "https://portal.example.org" + reverse("documents:detail", kwargs={"pk": 5})
