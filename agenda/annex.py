"""Annex B of the collective letter: the current published agenda."""

from django.template.loader import render_to_string

from . import queries
from .models import AgendaVersion


def render_annex_b(meeting):
    """The HTML of the meeting's current published agenda, or None when nothing is published."""
    version = queries.current_version(AgendaVersion, meeting)
    if version is None:
        return None
    return render_to_string(
        "agenda/_annex_b.html",
        {
            "meeting": meeting,
            "version": version,
            "tree": queries.agenda_tree(version),
            "td": queries.agenda_td(meeting),
        },
    )
