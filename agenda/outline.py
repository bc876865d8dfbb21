"""Reads an agenda pasted as text, as it appears in Annex B of a collective letter.

    1. Opening of the meeting and welcome
    2. Results from the last SG17 meeting
    a) Report of the 20-30 April 2021 SG17 meeting
    · JCA-IdM

Numbered lines ("1." "1)" "1") are items, lettered lines ("a)" "(a)") or decimal ones ("2.1") are
sub-items, bulleted lines ("·" "•" "-" "*") go one level further down. Lines before the first item
(the annex title, a note) are skipped; other lines after an item are added to its description.
The numbers written in the text are only checked: the tree numbers itself from the order of the lines.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sg17portal.errors import InvalidInput

from .numbering import letter

TITLE_MAX_LENGTH = 500

_TOP = re.compile(r"^(?P<n>\d{1,3})\s*[.)]?\s+(?P<title>\S.*)$")
_DECIMAL = re.compile(r"^(?P<n>\d{1,3})\.(?P<m>\d{1,3})(?P<deeper>(?:\.\d{1,3})*)\.?\s+(?P<title>\S.*)$")
_LETTER = re.compile(r"^\(?(?P<letter>[a-zA-Z]{1,2})\)\s*(?P<title>\S.*)$")
_BULLET = re.compile(r"^[·•◦▪‣\-–—*\uf0b7]\s*(?P<title>\S.*)$")
_ONLY_PUNCTUATION = re.compile(r"^[\W_]+$")


class OutlineError(InvalidInput):
    """The text cannot be read as an agenda; the message names the line."""

    field = "text"


@dataclass
class OutlineItem:
    title: str
    line: int
    description: str = ""
    children: list["OutlineItem"] = field(default_factory=list)


@dataclass
class Outline:
    items: list[OutlineItem]
    skipped: list[tuple[int, str]]
    warnings: list[str]

    def count(self) -> int:
        def walk(items):
            return sum(1 + walk(i.children) for i in items)

        return walk(self.items)


def parse_outline(text: str) -> Outline:
    """Reads ``text`` into a tree of ``OutlineItem``; raises ``OutlineError`` when a line has no place."""
    items: list[OutlineItem] = []
    skipped: list[tuple[int, str]] = []
    warnings: list[str] = []
    top: OutlineItem | None = None  # the current numbered item
    sub: OutlineItem | None = None  # the current lettered item under it
    last: OutlineItem | None = None  # the item the next free line describes

    for line_number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        decimal = _DECIMAL.match(line)
        top_match = None if decimal else _TOP.match(line)
        letter_match = None if decimal or top_match else _LETTER.match(line)
        bullet = None if decimal or top_match or letter_match else _BULLET.match(line)

        if top_match:
            last = top = OutlineItem(_title(top_match["title"], line_number), line_number)
            sub = None
            items.append(top)
            written, expected = top_match["n"], str(len(items))
            if written != expected:
                warnings.append(_line_warning(line_number, written, expected))
        elif decimal and not decimal["deeper"]:
            if top is None:
                raise OutlineError(
                    _("Line %(line)s: a sub-item comes before any numbered item.") % {"line": line_number}
                )
            last = sub = OutlineItem(_title(decimal["title"], line_number), line_number)
            top.children.append(sub)
            written = f"{decimal['n']}.{decimal['m']}"
            expected = f"{len(items)}.{len(top.children)}"
            if written != expected:
                warnings.append(_line_warning(line_number, written, expected))
        elif letter_match:
            if top is None:
                raise OutlineError(
                    _("Line %(line)s: sub-item “%(text)s” comes before any numbered item.")
                    % {"line": line_number, "text": line}
                )
            last = sub = OutlineItem(_title(letter_match["title"], line_number), line_number)
            top.children.append(sub)
            written, expected = letter_match["letter"].lower(), letter(len(top.children) - 1)
            if written != expected:
                warnings.append(_line_warning(line_number, f"{written})", f"{expected})"))
        elif bullet or decimal:
            title = bullet["title"] if bullet else decimal["title"]
            if top is None:
                raise OutlineError(
                    _("Line %(line)s: bullet “%(text)s” comes before any numbered item.")
                    % {"line": line_number, "text": line}
                )
            last = OutlineItem(_title(title, line_number), line_number)
            if sub is None:
                warnings.append(
                    _("Line %(line)s: a bullet directly under item %(number)s becomes a lettered sub-item.")
                    % {"line": line_number, "number": len(items)}
                )
                top.children.append(last)
            else:
                sub.children.append(last)
        elif last is None or _ONLY_PUNCTUATION.match(line):
            skipped.append((line_number, line))
        else:
            last.description = f"{last.description}\n{line}" if last.description else line

    if not items:
        raise OutlineError(_("No numbered item was found: each item starts with its number, as in “1. Opening”."))
    return Outline(items=items, skipped=skipped, warnings=warnings)


def _title(title: str, line_number: int) -> str:
    if len(title) > TITLE_MAX_LENGTH:
        raise OutlineError(
            _("Line %(line)s: the title is longer than %(max)s characters.")
            % {"line": line_number, "max": TITLE_MAX_LENGTH}
        )
    return title


def _line_warning(line_number, written, expected) -> str:
    return _("Line %(line)s is written “%(written)s” but is numbered %(expected)s from its place.") % {
        "line": line_number,
        "written": written,
        "expected": expected,
    }
