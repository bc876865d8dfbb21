import io

from django.core.management import call_command

from documents.models import Document, DocumentFile, Kind, Revision, TdDraft
from notifications.models import OutgoingMail


def counts():
    return [m.objects.count() for m in (Document, Revision, DocumentFile, TdDraft, OutgoingMail)]


def test_demo_loads_a_dozen_documents_and_twice_changes_nothing(db):
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first
    assert Document.objects.filter(kind=Kind.CONTRIBUTION).count() == 10
    # eight TDs of the documents demo, and the 2021 agenda the agenda demo issues as a TD
    assert Document.objects.filter(kind=Kind.TD).count() == 9
    assert TdDraft.objects.filter(state=TdDraft.State.PENDING).count() == 2
    assert Document.objects.filter(is_late=True).count() == 0
