"""What changed between two versions of an agenda or of a time plan.

Items and sessions are matched by ``uid``, which survives every copy. An agenda item is *moved* when its
parent changed, or when its order among the siblings it had in both versions changed; of siblings whose
order changed only those outside the longest run kept in order count as moved, so dragging one item
names that item and not every item whose number shifted.
"""

from dataclasses import dataclass, field

from .numbering import NumberedItem, flatten


@dataclass(frozen=True)
class ItemChange:
    uid: object
    old_label: str
    new_label: str
    old_title: str
    new_title: str


@dataclass
class AgendaDiff:
    added: list[NumberedItem] = field(default_factory=list)
    removed: list[NumberedItem] = field(default_factory=list)
    renamed: list[ItemChange] = field(default_factory=list)
    moved: list[ItemChange] = field(default_factory=list)
    # Description, working party, Questions or documents changed; not a rename nor a move.
    edited: list[ItemChange] = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.removed or self.renamed or self.moved or self.edited)


def _longest_kept_order(old: list, new: list) -> set:
    """The elements of the longest common subsequence of two orderings of the same elements."""
    position = {uid: i for i, uid in enumerate(old)}
    sequence = [position[uid] for uid in new]
    # Longest increasing subsequence, O(n log n), remembering predecessors.
    tails, tails_at, previous = [], [], [-1] * len(sequence)
    for i, value in enumerate(sequence):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < value:
                lo = mid + 1
            else:
                hi = mid
        if lo:
            previous[i] = tails_at[lo - 1]
        if lo == len(tails):
            tails.append(value)
            tails_at.append(i)
        else:
            tails[lo] = value
            tails_at[lo] = i
    kept, i = set(), tails_at[-1] if tails_at else -1
    while i != -1:
        kept.add(new[i])
        i = previous[i]
    return kept


def _parent_uid(node: NumberedItem):
    return node.parent.uid if node.parent else None


def _siblings(nodes: list[NumberedItem], common: set) -> dict:
    """uids of the common items under each parent uid, in order."""
    groups: dict = {}
    for node in nodes:
        if node.uid in common:
            groups.setdefault(_parent_uid(node), []).append(node.uid)
    return groups


def _details(item) -> tuple:
    return (
        item.description,
        item.working_party,
        tuple(sorted(q.pk for q in item.questions.all())),
        tuple(sorted(d.pk for d in item.documents.all())),
    )


def diff_agendas(old_tree: list[NumberedItem], new_tree: list[NumberedItem]) -> AgendaDiff:
    """Compares two numbered trees (see ``numbering.number_items``)."""
    old_nodes, new_nodes = flatten(old_tree), flatten(new_tree)
    old_by_uid = {n.uid: n for n in old_nodes}
    new_by_uid = {n.uid: n for n in new_nodes}
    common = old_by_uid.keys() & new_by_uid.keys()
    result = AgendaDiff(
        added=[n for n in new_nodes if n.uid not in old_by_uid],
        removed=[n for n in old_nodes if n.uid not in new_by_uid],
    )

    same_parent = {uid for uid in common if _parent_uid(old_by_uid[uid]) == _parent_uid(new_by_uid[uid])}
    old_groups, new_groups = _siblings(old_nodes, same_parent), _siblings(new_nodes, same_parent)
    kept = set()
    for parent, new_order in new_groups.items():
        kept |= _longest_kept_order(old_groups[parent], new_order)

    for new in new_nodes:
        if new.uid not in common:
            continue
        old = old_by_uid[new.uid]
        change = ItemChange(new.uid, old.label, new.label, old.title, new.title)
        if old.title != new.title:
            result.renamed.append(change)
        if new.uid not in same_parent or new.uid not in kept:
            result.moved.append(change)
        if _details(old.item) != _details(new.item):
            result.edited.append(change)
    return result


@dataclass(frozen=True)
class SessionChange:
    old: object
    new: object
    fields: tuple[str, ...]


@dataclass
class TimePlanDiff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list[SessionChange] = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


SESSION_FIELDS = (
    "starts_at",
    "ends_at",
    "title",
    "room",
    "captioning",
    "remote_participation",
    "join_url",
    "agenda_item_uids",
)
# A change of one of these makes calendars move the event: the iCalendar SEQUENCE goes up.
SCHEDULING_FIELDS = ("starts_at", "ends_at", "title", "room")


def session_changes(old, new) -> tuple[str, ...]:
    changed = [name for name in SESSION_FIELDS if getattr(old, name) != getattr(new, name)]
    if sorted(q.pk for q in old.questions.all()) != sorted(q.pk for q in new.questions.all()):
        changed.append("questions")
    return tuple(changed)


def diff_time_plans(old_sessions, new_sessions) -> TimePlanDiff:
    old_by_uid = {s.uid: s for s in old_sessions}
    new_by_uid = {s.uid: s for s in new_sessions}
    result = TimePlanDiff(
        added=[s for s in new_sessions if s.uid not in old_by_uid],
        removed=[s for s in old_sessions if s.uid not in new_by_uid],
    )
    for new in new_sessions:
        old = old_by_uid.get(new.uid)
        if old is not None and (fields := session_changes(old, new)):
            result.changed.append(SessionChange(old, new, fields))
    return result
