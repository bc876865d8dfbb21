"""Numbers agenda items from their place in the tree, the way ITU agendas do.

Top-level items are numbered 1, 2, 3 …; their sub-items a), b), c) … (so "2 a)"); anything deeper is a
bullet. Nothing is stored: a move renumbers everything after it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from string import ascii_lowercase

BULLET = "·"


def letter(index: int) -> str:
    """0 → "a", 25 → "z", 26 → "aa", 27 → "ab" …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = ascii_lowercase[rest] + letters
    return letters


@dataclass
class NumberedItem:
    """An item with its computed number. ``number`` is "2", "a)" or "·"; ``label`` is "2", "2 a)" or "2 a) ·"."""

    item: object
    depth: int
    number: str
    label: str
    parent: "NumberedItem | None" = None
    children: list["NumberedItem"] = field(default_factory=list)

    @property
    def uid(self):
        return self.item.uid

    @property
    def title(self):
        return self.item.title


def number_items(items) -> list[NumberedItem]:
    """Builds the numbered tree from a flat iterable of items (any order); returns the top-level nodes."""
    by_parent = defaultdict(list)
    for item in items:
        by_parent[item.parent_id].append(item)
    for siblings in by_parent.values():
        siblings.sort(key=lambda i: (i.position, i.pk or 0))

    def build(parent_id, parent_node, depth):
        nodes = []
        for index, item in enumerate(by_parent.get(parent_id, ())):
            if depth == 0:
                number = str(index + 1)
                label = number
            elif depth == 1:
                number = f"{letter(index)})"
                label = f"{parent_node.label} {number}"
            else:
                number = BULLET
                label = f"{parent_node.label} {BULLET}"
            node = NumberedItem(item=item, depth=depth, number=number, label=label, parent=parent_node)
            node.children = build(item.pk, node, depth + 1)
            nodes.append(node)
        return nodes

    return build(None, None, 0)


def flatten(nodes: list[NumberedItem]) -> list[NumberedItem]:
    """The tree in reading order."""
    result = []
    for node in nodes:
        result.append(node)
        result.extend(flatten(node.children))
    return result
