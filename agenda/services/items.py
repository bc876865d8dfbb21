"""Editing the draft agenda: items added, changed, deleted, indented, outdented, moved, or pasted as an outline.

Every function locks the meeting's draft, refuses with ``StaleDraft`` when it changed since ``revision``,
applies the change, keeps sibling positions dense (0, 1, 2 …) and raises the draft's revision.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from documents.models import Kind

from ..models import AgendaItem, AgendaVersion
from ..outline import Outline, parse_outline
from .drafts import lock_draft, touch_draft
from .errors import AgendaError, InvalidMove

LINKABLE_KINDS = (Kind.CONTRIBUTION, Kind.TD)


def _siblings(draft, parent_id, *, exclude=None) -> list[AgendaItem]:
    items = AgendaItem.objects.filter(version=draft, parent_id=parent_id).order_by("position", "pk")
    if exclude is not None:
        items = items.exclude(pk=exclude.pk)
    return list(items)


def _renumber(items: list[AgendaItem]) -> None:
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    if changed:
        AgendaItem.objects.bulk_update(changed, ["position"])


def _place(draft, item: AgendaItem, *, parent_id, index: int) -> None:
    """Puts ``item`` at ``index`` among the children of ``parent_id`` (clamped), closing the gap it leaves."""
    old_parent_id = item.parent_id
    siblings = _siblings(draft, parent_id, exclude=item)
    index = max(0, min(index, len(siblings)))
    if item.parent_id != parent_id:
        item.parent_id = parent_id
        item.save(update_fields=["parent"])
    siblings.insert(index, item)
    item.position = -1  # forces the write in _renumber
    _renumber(siblings)
    if old_parent_id != parent_id:
        _renumber(_siblings(draft, old_parent_id))


def _draft_item(draft, item_pk) -> AgendaItem:
    """The item, read again under the draft's lock; only items of the draft can change."""
    return AgendaItem.objects.get(pk=item_pk, version=draft)


def _set_links(meeting, item, questions, documents):
    """Questions of the meeting's study group, and contributions and TDs of the meeting; others are refused."""
    if questions is not None:
        foreign = [q for q in questions if q.study_group_id != meeting.study_group_id]
        if foreign:
            raise AgendaError(_("%(question)s is not a Question of this study group.") % {"question": foreign[0]})
        item.questions.set(questions)
    if documents is not None:
        foreign = [d for d in documents if d.meeting_id != meeting.pk or d.kind not in LINKABLE_KINDS]
        if foreign:
            raise AgendaError(
                _("%(document)s is not a contribution or TD of this meeting.") % {"document": foreign[0].display_name}
            )
        item.documents.set(documents)


@transaction.atomic
def add_agenda_item(
    meeting,
    *,
    revision,
    by,
    title,
    parent=None,
    description="",
    working_party="",
    questions=None,
    documents=None,
) -> AgendaItem:
    """Adds an item at the end of the draft, or as the last sub-item of ``parent``.

    Side effects, in order: the draft is locked (created if needed); the item row, its Questions and its
    documents are written; the draft's revision goes up.
    """
    draft = lock_draft(AgendaVersion, meeting, revision=revision)
    parent_id = _draft_item(draft, parent.pk).pk if parent is not None else None
    item = AgendaItem(
        version=draft,
        parent_id=parent_id,
        position=len(_siblings(draft, parent_id)),
        title=title,
        description=description,
        working_party=working_party,
    )
    item.full_clean()
    item.save()
    _set_links(meeting, item, questions, documents)
    touch_draft(draft, by=by)
    return item


@transaction.atomic
def update_agenda_item(
    item, *, revision, by, title, description="", working_party="", questions=None, documents=None
) -> AgendaItem:
    """Changes an item's title, description, working party, Questions and documents.

    Side effects, in order: the draft is locked; the item row, its Questions and its documents are written;
    the draft's revision goes up.
    """
    draft = lock_draft(AgendaVersion, item.version.meeting, revision=revision)
    item = _draft_item(draft, item.pk)
    item.title, item.description, item.working_party = title, description, working_party
    item.full_clean()
    item.save(update_fields=["title", "description", "working_party"])
    _set_links(draft.meeting, item, questions, documents)
    touch_draft(draft, by=by)
    return item


@transaction.atomic
def delete_agenda_item(item, *, revision, by) -> None:
    """Deletes an item with its sub-items.

    Side effects, in order: the draft is locked; the item and its descendants are deleted; the siblings
    after it move up; the draft's revision goes up.
    """
    draft = lock_draft(AgendaVersion, item.version.meeting, revision=revision)
    item = _draft_item(draft, item.pk)
    parent_id = item.parent_id
    item.delete()
    _renumber(_siblings(draft, parent_id))
    touch_draft(draft, by=by)


def _is_within(draft, candidate_id, item) -> bool:
    """Whether ``candidate_id`` is ``item`` or one of its descendants."""
    parents = dict(AgendaItem.objects.filter(version=draft).values_list("pk", "parent_id"))
    while candidate_id is not None:
        if candidate_id == item.pk:
            return True
        candidate_id = parents.get(candidate_id)
    return False


@transaction.atomic
def move_agenda_item(item, *, revision, by, parent, index: int) -> AgendaItem:
    """Moves an item (with its sub-items) under ``parent`` (None: top level) at ``index`` among its children.

    Side effects, in order: the draft is locked; the item's parent and the positions of its old and new
    siblings are written; the draft's revision goes up. Moving an item under itself is refused.
    """
    draft = lock_draft(AgendaVersion, item.version.meeting, revision=revision)
    item = _draft_item(draft, item.pk)
    parent_id = _draft_item(draft, parent.pk).pk if parent is not None else None
    if _is_within(draft, parent_id, item):
        raise InvalidMove(_("An item cannot be moved under itself or one of its sub-items."))
    _place(draft, item, parent_id=parent_id, index=index)
    touch_draft(draft, by=by)
    return item


@transaction.atomic
def shift_agenda_item(item, *, revision, by, direction: str) -> AgendaItem:
    """Moves an item one step: "up" or "down" among its siblings, "indent" under the item before it,
    "outdent" to just after its parent. The same as a drag and drop, for the keyboard and without script.

    Side effects, in order: the draft is locked; parents and positions are written; the draft's revision
    goes up. A step that is not possible (first item up, top-level outdent …) is refused.
    """
    draft = lock_draft(AgendaVersion, item.version.meeting, revision=revision)
    item = _draft_item(draft, item.pk)
    siblings = _siblings(draft, item.parent_id)
    index = [s.pk for s in siblings].index(item.pk)
    if direction == "up":
        if index == 0:
            raise InvalidMove(_("“%(title)s” is already the first at its level.") % {"title": item.title})
        _place(draft, item, parent_id=item.parent_id, index=index - 1)
    elif direction == "down":
        if index == len(siblings) - 1:
            raise InvalidMove(_("“%(title)s” is already the last at its level.") % {"title": item.title})
        _place(draft, item, parent_id=item.parent_id, index=index + 1)
    elif direction == "indent":
        if index == 0:
            raise InvalidMove(
                _("“%(title)s” cannot be indented: there is no item before it at its level.") % {"title": item.title}
            )
        new_parent = siblings[index - 1]
        _place(draft, item, parent_id=new_parent.pk, index=len(_siblings(draft, new_parent.pk)))
    elif direction == "outdent":
        if item.parent_id is None:
            raise InvalidMove(_("“%(title)s” is already at the top level.") % {"title": item.title})
        parent = AgendaItem.objects.get(pk=item.parent_id)
        _place(draft, item, parent_id=parent.parent_id, index=parent.position + 1)
    else:
        raise InvalidMove(_("Unknown move."))
    touch_draft(draft, by=by)
    return item


@transaction.atomic
def import_outline(meeting, *, revision, by, outline: Outline, replace: bool) -> int:
    """Adds the items of a parsed outline at the end of the draft, or instead of its items when ``replace``.

    Side effects, in order: the draft is locked; with ``replace`` its items are deleted; the outline's
    items are inserted, one statement per level; the draft's revision goes up. Returns how many were added.
    """
    draft = lock_draft(AgendaVersion, meeting, revision=revision)
    if replace:
        draft.items.all().delete()
    start = len(_siblings(draft, None))
    level = [(None, start + i, node) for i, node in enumerate(outline.items)]
    added = 0
    while level:
        rows = [
            AgendaItem(version=draft, parent=parent, position=position, title=node.title, description=node.description)
            for parent, position, node in level
        ]
        AgendaItem.objects.bulk_create(rows)
        added += len(rows)
        level = [
            (row, position, child)
            for row, (_parent, _position, node) in zip(rows, level, strict=True)
            for position, child in enumerate(node.children)
        ]
    touch_draft(draft, by=by)
    return added


def start_agenda_from_letter(meeting, *, by) -> int:
    """The Annex B text typed with a new meeting becomes its draft agenda, ready in the editor.

    Side effects, in order: if the meeting has Annex B text and no agenda yet, as ``import_outline``; else none.
    Returns how many items were added.
    """
    if not meeting.draft_agenda.strip() or AgendaVersion.objects.filter(meeting=meeting).exists():
        return 0
    return import_outline(meeting, revision=0, by=by, outline=parse_outline(meeting.draft_agenda), replace=False)
