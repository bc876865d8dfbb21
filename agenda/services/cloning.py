"""A meeting cloned from a previous one starts with that meeting's agenda as its draft."""

from django.db import transaction

from .. import queries
from ..models import AgendaVersion
from ..numbering import flatten
from .drafts import lock_draft, touch_draft
from .publishing import copy_items


@transaction.atomic
def copy_agenda_into_clone(source, meeting, *, by) -> int:
    """Copies the source meeting's current agenda (its draft if nothing was published) into the new meeting's
    draft, which must be empty. Returns how many items were copied.

    Side effects, in order: the new meeting's draft is created and locked; the items are copied with their
    Questions, without the source meeting's documents; the draft's revision goes up.
    """
    version = queries.current_version(AgendaVersion, source) or queries.draft_of(AgendaVersion, source)
    if version is None:
        return 0
    nodes = flatten(queries.agenda_tree(version))
    if not nodes:
        return 0
    draft = lock_draft(AgendaVersion, meeting, revision=0)
    copy_items(nodes, draft, with_documents=False)
    touch_draft(draft, by=by)
    return len(nodes)
