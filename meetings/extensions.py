"""Places where apps built on meetings add to its pages, without meetings importing them.

An app registers in its ``AppConfig.ready()``; meetings only renders what was registered.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MeetingPageSection:
    """A template rendered on the meeting page with ``meeting``, ``request`` and ``user`` in its context.
    ``cache_keys(meeting_pk)`` names the entries it reads from the cache (``sg17portal.pagecache.kept``): the page
    asks for them along with the meeting, in one round trip."""

    template_name: str
    order: int
    cache_keys: Callable[[int], list[str]] | None = None


@dataclass(frozen=True)
class ManageLink:
    """A link on the secretariat's page of a meeting: ``url_name`` is reversed with the meeting's pk."""

    label: str
    url_name: str
    order: int


_sections: list[MeetingPageSection] = []
_manage_links: list[ManageLink] = []
_annex_b_renderer: Callable | None = None
_created_hooks: list[Callable] = []
_change_audiences: list[Callable] = []
_clone_steps: list[Callable] = []


def add_meeting_page_section(
    template_name: str, *, order: int, cache_keys: Callable[[int], list[str]] | None = None
) -> None:
    if all(s.template_name != template_name for s in _sections):
        _sections.append(MeetingPageSection(template_name, order, cache_keys))
        _sections.sort(key=lambda s: s.order)


def meeting_page_sections() -> list[str]:
    return [s.template_name for s in _sections]


def meeting_page_cache_keys(meeting_pk: int) -> list[str]:
    """The cache entries the sections of meeting ``meeting_pk``'s page read."""
    return [key for s in _sections if s.cache_keys is not None for key in s.cache_keys(meeting_pk)]


def add_manage_link(label, url_name: str, *, order: int) -> None:
    if all(link.url_name != url_name for link in _manage_links):
        _manage_links.append(ManageLink(label, url_name, order))
        _manage_links.sort(key=lambda link: link.order)


def manage_links() -> list[ManageLink]:
    return list(_manage_links)


def add_meeting_created_hook(hook: Callable) -> None:
    """``hook(meeting, *, by)`` runs in the transaction that creates a meeting (see ``services.save_meeting``)."""
    if hook not in _created_hooks:
        _created_hooks.append(hook)


def run_meeting_created_hooks(meeting, *, by) -> None:
    for hook in _created_hooks:
        hook(meeting, by=by)


def set_annex_b_renderer(renderer: Callable) -> None:
    """``renderer(meeting)`` returns the agenda for Annex B of the collective letter, or None."""
    global _annex_b_renderer
    _annex_b_renderer = renderer


def annex_b(meeting):
    """The agenda shown in Annex B: what a registered renderer gives, else the meeting's draft agenda text."""
    if _annex_b_renderer is not None:
        result = _annex_b_renderer(meeting)
        if result is not None:
            return result
    return None


def add_change_audience(audience: Callable) -> None:
    """``audience(meeting)`` gives the people (with ``email``) to tell when an addendum changes the meeting."""
    if audience not in _change_audiences:
        _change_audiences.append(audience)


def change_audience(meeting) -> list:
    """Everyone an app registered for ``meeting``, each address once, in the order the apps gave them."""
    people, seen = [], set()
    for audience in _change_audiences:
        for person in audience(meeting):
            address = person.email.lower()
            if address and address not in seen:
                seen.add(address)
                people.append(person)
    return people


def add_clone_step(step: Callable) -> None:
    """``step(source, meeting, *, by)`` copies an app's part of ``source`` into the new ``meeting``."""
    if step not in _clone_steps:
        _clone_steps.append(step)


def clone_steps() -> list[Callable]:
    return list(_clone_steps)
