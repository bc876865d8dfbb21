"""Checking and storing uploaded files.

A file is accepted only when its name ends with an allowed extension *and* its content is what that
extension promises (magic bytes; for .docx/.xlsx/.pptx and .zip a readable zip structure with the parts
the format needs). Empty files, files over ``settings.UPLOAD_MAX_BYTES``, programs, HTML and SVG are
refused whatever their name. The stored name is chosen by the server; the sender's name is kept only as
information. Every refusal raises ``UploadRefused`` with a message meant for the person who sent the file.
"""

import hashlib
import os
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sg17portal.errors import InvalidInput

MAX_NAME_LENGTH = 200
CHUNK = 64 * 1024
STORAGE_FOLDER = "documents"

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "txt": "text/plain; charset=utf-8",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)
FORMAT_NAMES = {
    "docx": _lazy("a Word document"),
    "doc": _lazy("a Word 97-2003 document"),
    "xlsx": _lazy("an Excel workbook"),
    "pptx": _lazy("a PowerPoint presentation"),
    "pdf": _lazy("a PDF document"),
    "zip": _lazy("a ZIP archive"),
    "txt": _lazy("a plain text file"),
}
# The part an Office Open XML package of each kind must contain.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary, Java class
    b"#!",  # scripts
)
EXECUTABLE_EXTENSIONS = frozenset(
    {"exe", "dll", "com", "bat", "cmd", "msi", "scr", "ps1", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta"}
    | {"jar", "app", "sh", "pif", "cpl", "lnk", "reg"}
)


class UploadRefused(InvalidInput):
    """A file that is not accepted; ``message`` says why, in words for the sender (shown on the files field)."""

    field = "files"


@dataclass(frozen=True)
class IncomingFile:
    """A file as received: the name its sender gave it and a readable binary stream."""

    name: str
    file: IO[bytes]

    @classmethod
    def wrap(cls, obj) -> "IncomingFile":
        """Accepts an ``IncomingFile``, a Django ``UploadedFile``/``File``/``ContentFile`` (with a name)."""
        if isinstance(obj, IncomingFile):
            return obj
        return cls(name=obj.name or "", file=obj)


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed every check, not yet stored."""

    incoming: IncomingFile
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class StoredUpload:
    """A checked file saved under a server-chosen name below MEDIA_ROOT."""

    storage_name: str
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str

    def model_fields(self) -> dict:
        return {
            "file": self.storage_name,
            "original_name": self.original_name,
            "extension": self.extension,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
        }


def _shown(name: str) -> str:
    return name if len(name) <= 60 else name[:40] + "…" + name[-12:]


def check_name(name: str) -> str:
    """The extension of an acceptable file name; refuses paths, hidden names, control characters, long names."""
    if not name or not name.strip():
        raise UploadRefused(_("A file without a name was sent; give it a name ending in .docx, .pdf …"))
    if len(name) > MAX_NAME_LENGTH:
        raise UploadRefused(
            _("The file name “%(name)s” is too long: at most %(max)d characters are allowed. Shorten it and try again.")
            % {"name": _shown(name), "max": MAX_NAME_LENGTH}
        )
    if "/" in name or "\\" in name or name.startswith("."):
        raise UploadRefused(
            _("The file name “%(name)s” contains a folder path; send the file under its own name only.")
            % {"name": _shown(name)}
        )
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UploadRefused(
            _("The file name “%(name)s” contains control characters; rename the file and try again.")
            % {"name": _shown(name.encode("unicode_escape").decode())}
        )
    return os.path.splitext(name)[1].lower().lstrip(".")


def _looks_like_markup(head: bytes) -> str | None:
    """Tells whether the file starts like an SVG image ("svg") or a web page ("html"), whatever its name."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        head = head[2:].decode(encoding, "ignore").encode("utf-8", "ignore")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n\x0c").lower()[:1024]
    if not text.startswith(b"<"):
        return None
    if b"<svg" in text:
        return "svg"
    if any(tag in text for tag in (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")):
        return "html"
    return None


def _check_zip(incoming: IncomingFile, extension: str, shown: str, fmt: str) -> None:
    incoming.file.seek(0)
    try:
        with zipfile.ZipFile(incoming.file) as archive:
            entries = archive.infolist()
            names = {info.filename for info in entries}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(
            _("“%(name)s” is not a valid file: its zip structure is damaged.") % {"name": shown, "format": fmt}
        ) from None
    if not entries:
        raise UploadRefused(_("“%(name)s” is an empty archive.") % {"name": shown})
    if len(entries) > 10000:
        raise UploadRefused(_("“%(name)s” holds more than 10,000 files.") % {"name": shown})
    if extension in OOXML_MAIN_PART:
        if "[Content_Types].xml" not in names or OOXML_MAIN_PART[extension] not in names:
            raise UploadRefused(_("“%(name)s” is a zip file but not %(format)s.") % {"name": shown, "format": fmt})
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise UploadRefused(
                _("“%(name)s” contains macros; save it without macros (as .docx, .xlsx or .pptx) and send it again.")
                % {"name": shown}
            )
    else:
        programs = sorted(n for n in names if n.rsplit(".", 1)[-1].lower() in EXECUTABLE_EXTENSIONS)
        if programs:
            raise UploadRefused(
                _("“%(name)s” contains programs (%(programs)s), which are not accepted.")
                % {"name": shown, "programs": ", ".join(programs[:3])}
            )


def check_file(obj) -> CheckedFile:
    """Checks one file; returns what is known about it or raises ``UploadRefused``."""
    incoming = IncomingFile.wrap(obj)
    name = incoming.name
    extension = check_name(name)
    shown = _shown(name)
    limit = settings.UPLOAD_MAX_BYTES

    incoming.file.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    has_word_stream = False
    has_nul = False
    while chunk := incoming.file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise UploadRefused(
                _("“%(name)s” is larger than the limit of %(limit)s.") % {"name": shown, "limit": filesizeformat(limit)}
            )
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
        window = tail + chunk
        has_word_stream = has_word_stream or WORD_STREAM in window
        has_nul = has_nul or b"\x00" in chunk
        tail = window[-len(WORD_STREAM) :]
    incoming.file.seek(0)

    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": shown})
    if head.startswith(EXECUTABLE_MAGIC) or extension in EXECUTABLE_EXTENSIONS:
        raise UploadRefused(_("“%(name)s” is a program; programs are not accepted.") % {"name": shown})
    markup = _looks_like_markup(head)
    if markup == "svg":
        raise UploadRefused(_("“%(name)s” is an SVG image; SVG files are not accepted.") % {"name": shown})
    if markup == "html":
        raise UploadRefused(
            _("“%(name)s” is a web page (HTML); web pages are not accepted, send a PDF or Word file.") % {"name": shown}
        )
    if extension not in CONTENT_TYPES:
        raise UploadRefused(
            _("“%(name)s” is not of an accepted type. Accepted: %(types)s.")
            % {"name": shown, "types": ", ".join(f".{e}" for e in ALLOWED_EXTENSIONS)}
        )
    fmt = str(FORMAT_NAMES[extension])
    mismatch = UploadRefused(
        _("“%(name)s” is not %(format)s: its content does not match its name.") % {"name": shown, "format": fmt}
    )
    if extension in ("docx", "xlsx", "pptx", "zip"):
        if not head.startswith(b"PK\x03\x04"):
            if head.startswith(OLE_MAGIC) and extension != "zip":
                raise UploadRefused(
                    _(
                        "“%(name)s” is password-protected or in an older format; "
                        "save it again as %(format)s without a password."
                    )
                    % {"name": shown, "format": fmt}
                )
            raise mismatch
        _check_zip(incoming, extension, shown, fmt)
    elif extension == "doc":
        if not head.startswith(OLE_MAGIC) or not has_word_stream:
            raise mismatch
    elif extension == "pdf":
        if b"%PDF-" not in head[:1024]:
            raise mismatch
    elif extension == "txt" and (has_nul or _has_control_characters(head)):
        raise mismatch
    incoming.file.seek(0)
    return CheckedFile(
        incoming=incoming,
        original_name=name,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=size,
        sha256=digest.hexdigest(),
    )


def _has_control_characters(head: bytes) -> bool:
    allowed = {9, 10, 12, 13, 27}
    return any(b < 32 and b not in allowed for b in head)


def check_files(objs: Iterable) -> list[CheckedFile]:
    """Checks every file before anything is stored; the first refusal stops the whole posting."""
    checked = [check_file(obj) for obj in objs]
    if not checked:
        raise UploadRefused(_("Attach at least one file."))
    return checked


def storage_name(extension: str) -> str:
    key = uuid.uuid4().hex
    return f"{STORAGE_FOLDER}/{key[:2]}/{key}.{extension}"


@contextmanager
def storing():
    """Yields ``store(checked) -> StoredUpload``; on any error inside, the files stored so far are deleted."""
    stored: list[str] = []

    def store(checked: CheckedFile) -> StoredUpload:
        checked.incoming.file.seek(0)
        name = default_storage.save(storage_name(checked.extension), File(checked.incoming.file))
        stored.append(name)
        return StoredUpload(
            storage_name=name,
            original_name=checked.original_name,
            extension=checked.extension,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )

    try:
        yield store
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
