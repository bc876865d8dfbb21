"""Contributions and TDs for the agenda tests, posted through the documents services as the portal does."""

from django.core.files.base import ContentFile

from documents import services as documents
from documents.models import Scope

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def post_tds(meeting, secretariat, count):
    return [
        documents.post_td(
            meeting,
            title=f"Report of Q{n % 15 + 1}/17",
            source="Rapporteur",
            scope=Scope.PLEN,
            files=[ContentFile(PDF, name=f"td{n}.pdf")],
            by=secretariat,
        )
        for n in range(count)
    ]
