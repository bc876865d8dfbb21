"""Contributions and TDs for the agenda tests, posted through the documents services as the portal does.

The agenda benchmark posts its TDs with ``post_tds`` too."""

from django.core.files.base import ContentFile

from documents import services as documents
from documents.models import Scope
from tests.documents.factories import pdf_bytes


def post_tds(meeting, secretariat, count):
    return [
        documents.post_td(
            meeting,
            title=f"Report of Q{n % 15 + 1}/17",
            source="Rapporteur",
            scope=Scope.PLEN,
            files=[ContentFile(pdf_bytes(), name=f"td{n}.pdf")],
            by=secretariat,
        )
        for n in range(count)
    ]
