"""The address of one view for each of many objects, with one ``reverse()`` for the whole list.

A long list (a thousand documents, a page of registrations) links each row to its object; ``reverse()`` once per
row was a measurable part of such a page. ``address_of(name)`` reverses ``name`` once, with a placeholder number as
the object's id, and returns a function that writes the address of any id as the text around that placeholder.
"""

from collections.abc import Callable

from django.urls import reverse

PLACEHOLDER = 987654321


def address_of(name: str, *, wrap: Callable[[str], str] | None = None) -> Callable[[int], str]:
    """``address_of(name)(pk) == reverse(name, kwargs={"pk": pk})``, whatever comes after the id (``/approve/``).
    ``wrap`` changes the reversed address once (making it absolute, say) before it is cut at the placeholder."""
    address = reverse(name, kwargs={"pk": PLACEHOLDER})
    before, after = (wrap(address) if wrap else address).split(str(PLACEHOLDER))
    return lambda pk: f"{before}{pk}{after}"
