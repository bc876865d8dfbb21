"""The meeting page's counts of contributions and TDs (``documents.queries.meeting_counts``) are kept: read again
after a document is added or deleted, not after a revision, and always right on the very next request."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import services
from documents.models import Document, Kind
from tests.clients import signed_in
from tests.documents.factories import upload

COUNTS_QUERY = re.compile(r'COUNT\("documents_document"."id"\) AS "n" FROM "documents_document"')


def shown_counts(client, meeting) -> tuple[tuple[int, int], bool]:
    """The counts the member's meeting page shows (contributions, TDs), and whether they were read from the database."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    contributions = re.search(r">Contributions</a> \((\d+)\)", page)
    tds = re.search(r">TDs</a> \((\d+)\)", page)
    read = any(COUNTS_QUERY.search(query["sql"]) for query in captured.captured_queries)
    return (int(contributions[1]), int(tds[1])), read


def test_counts_are_read_once_and_every_change_of_them_shows_on_the_next_request(meeting, member, entity, secretariat):
    member_client = signed_in(member)
    cache.clear()
    first = services.post_contribution(meeting, entity=entity, title="First", files=[upload()], by=member)
    assert shown_counts(member_client, meeting) == ((1, 0), True)
    assert shown_counts(member_client, meeting) == ((1, 0), False)  # kept

    services.post_contribution(meeting, entity=entity, title="Second", files=[upload()], by=member)
    assert shown_counts(member_client, meeting) == ((2, 0), True)

    services.post_td(meeting, title="Report", source="TSB", scope="PLEN", files=[upload()], by=secretariat)
    assert shown_counts(member_client, meeting) == ((2, 1), True)

    # A revision writes only its number and date on the document: the counts stay kept.
    services.add_revision(first, files=[upload()], by=member)
    assert shown_counts(member_client, meeting) == ((2, 1), False)

    # A withdrawn document is still counted (and listed, marked withdrawn); a deleted one is not.
    services.withdraw_document(first, by=secretariat, reason="Superseded")
    assert shown_counts(member_client, meeting) == ((2, 1), True)
    Document.objects.get(meeting=meeting, kind=Kind.TD).delete()
    assert shown_counts(member_client, meeting) == ((2, 0), True)
