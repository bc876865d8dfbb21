"""File builders for the documents tests (the model factories they use are in tests/factories.py)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(text: str = "Proposed text for the draft Recommendation.") -> bytes:
    from docx import Document

    word = Document()
    word.add_paragraph(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def ooxml_bytes(main_part: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def doc_bytes() -> bytes:
    """The start of an OLE compound file whose directory names a WordDocument stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\x00") + "WordDocument".encode("utf-16-le").ljust(
        128, b"\x00"
    )
    return header + directory + b"\x00" * 256


def upload(name: str = "contribution.docx", data: bytes | None = None, content_type: str = DOCX):
    return SimpleUploadedFile(name, docx_bytes() if data is None else data, content_type=content_type)


def stored_files(root) -> list:
    """Every file under a media folder."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
