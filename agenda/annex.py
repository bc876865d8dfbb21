"""Annex B of the collective letter: the current published agenda."""

from django.template.loader import render_to_string

from . import queries
from .models import AgendaVersion
from .numbering import flatten


def render_annex_b(meeting):
    """The HTML of the meeting's current published agenda, or None when nothing is published.

    One paragraph per item, indented by its depth, with its working party, Questions and documents in one run of
    text after the title: the letter is rendered to PDF, and WeasyPrint's time grows with the boxes it lays out. The
    web page's tree of 150 items (a nested list, each item a row of five boxes) took 1.3 s of a 1.4 s letter; as
    paragraphs with one inline box each, the whole letter takes 0.5 s.
    """
    version = queries.current_version(AgendaVersion, meeting)
    if version is None:
        return None
    return render_to_string(
        "agenda/_annex_b.html",
        {
            "meeting": meeting,
            "version": version,
            "lines": flatten(queries.agenda_tree(version)),
            "td": queries.agenda_td(meeting),
        },
    )
