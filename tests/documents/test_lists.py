import datetime
import io
import zipfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents import queries, services
from documents.models import Document, Kind, Scope, TdType
from tests.documents.factories import docx_bytes, upload
from tests.kept import forget_kept_answers


def bulk_documents(meeting, questions, *, contributions: int, tds: int, entity=None) -> None:
    """Many documents in a few statements, as the list sees them."""
    now = timezone.now()
    of_meeting = {"study_group": meeting.study_group, "study_period": meeting.study_period, "meeting": meeting}
    rows = []
    for n in range(1, contributions + 1):
        rows.append(
            Document(
                **of_meeting,
                kind=Kind.CONTRIBUTION,
                number=n,
                title=f"Proposal {n} on identity management",
                source=f"Operator {n % 7}",
                source_entity=entity,
                abstract="Proposes text.",
                is_late=n % 50 == 0,
                translation_requested=n % 20 == 0,
                latest_revision=n % 3,
                posted_at=now - datetime.timedelta(minutes=n),
                last_revised_at=now - datetime.timedelta(minutes=n),
            )
        )
    for n in range(1, tds + 1):
        rows.append(
            Document(
                **of_meeting,
                kind=Kind.TD,
                td_type=TdType.REPORT if n % 10 == 0 else TdType.GENERAL,
                scope=Scope.PLEN if n % 2 else Scope.WP2,
                number=n,
                title=f"Report of Question {n % 12}",
                source="TSB",
                posted_at=now,
                last_revised_at=now,
            )
        )
    documents = Document.objects.bulk_create(rows)
    through = Document.questions.through
    through.objects.bulk_create(
        [through(document_id=d.pk, question_id=questions[i % len(questions)].pk) for i, d in enumerate(documents)]
    )


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_list_query_count_is_the_same_for_1_and_1000_documents(
    member_client, meeting, questions, django_assert_num_queries
):
    url = reverse("documents:list", args=[meeting.pk])
    bulk_documents(meeting, questions, contributions=1, tds=0)
    # + the approvals menu badge and the draft-TD rule of the meeting; the meeting with its deadlines and side events
    # (three queries, kept between requests)
    forget_kept_answers()
    with django_assert_num_queries(12):
        response = member_client.get(url)
    assert len(response.context["rows"]) == 1

    Document.objects.all().delete()
    bulk_documents(meeting, questions, contributions=400, tds=600)
    forget_kept_answers()
    with django_assert_num_queries(12):
        response = member_client.get(url)
    # 200 rows a page (the page carries the count of all): the page stays light and the same query count holds
    assert len(response.context["rows"]) == queries.DOCUMENTS_PER_PAGE == 200
    assert response.content.decode().count("<tr") == 201
    assert "1000 documents" in response.content.decode()
    forget_kept_answers()
    with django_assert_num_queries(12):
        last = member_client.get(url, {"page": 5})
    assert last.context["rows"][-1].pk == Document.objects.get(kind=Kind.TD, number=600).pk
    assert len(last.context["rows"]) == 200


def test_pages_of_a_list_keep_its_filters_search_and_sorting(member_client, meeting, questions):
    bulk_documents(meeting, questions, contributions=450, tds=10)
    url = reverse("documents:list", args=[meeting.pk])
    number_to_pk = dict(Document.objects.filter(kind=Kind.CONTRIBUTION).values_list("number", "pk"))
    first = member_client.get(url, {"q": "identity", "sort": "-number"})
    html = first.content.decode()
    assert first.context["page"].paginator.count == 450
    assert [row.pk for row in first.context["rows"]][:2] == [number_to_pk[450], number_to_pk[449]]
    assert 'href="?q=identity&amp;sort=-number&amp;page=2"' in html
    assert 'href="?q=identity&amp;sort=-number&amp;page=3"' in html
    third = member_client.get(url, {"q": "identity", "sort": "-number", "page": 3})
    assert [row.pk for row in third.context["rows"]] == [number_to_pk[n] for n in range(50, 0, -1)]
    # Sorting again starts at the first page; past the last page is the last page.
    assert 'href="?q=identity&amp;sort=number"' in third.content.decode()
    beyond = member_client.get(url, {"q": "identity", "sort": "-number", "page": 99})
    assert beyond.context["page"].number == 3
    nothing = member_client.get(url, {"q": "nowhere-to-be-found"})
    assert (nothing.context["rows"], nothing.context["page"].paginator.count) == ([], 0)


@pytest.mark.parametrize("which", ["contributions", "tds"])
def test_kind_lists_query_count_is_fixed(member_client, meeting, questions, which, django_assert_num_queries):
    bulk_documents(meeting, questions, contributions=30, tds=40)
    # + the approvals menu badge and the draft-TD rule of the meeting; the meeting with its deadlines and side events
    # (three queries, kept between requests)
    with django_assert_num_queries(12):
        response = member_client.get(reverse(f"documents:{which}", args=[meeting.pk]))
    assert len(response.context["rows"]) == {"contributions": 30, "tds": 40}[which]


def test_list_rows_show_number_revision_questions_and_marks(
    member_client, meeting, questions, member, entity, secretariat
):
    contribution = services.post_contribution(
        meeting,
        entity=entity,
        title="Zero trust",
        questions=questions[:2],
        files=[upload()],
        by=member,
        translation_requested=True,
    )
    services.add_revision(contribution, files=[upload()], by=member)
    services.post_td(meeting, title="Agenda", source="TSB", scope=Scope.PLEN, files=[upload()], by=secretariat)
    response = member_client.get(reverse("documents:list", args=[meeting.pk]))
    rows = [(r.name, r.title, r.source, r.questions) for r in response.context["rows"]]
    assert rows == [
        ("C 1 Rev.1", "Zero trust", "Republic of Korea", "Q4/17, Q6/17"),
        ("TD 1 (PLEN)", "Agenda", "TSB", ""),
    ]
    assert response.content.decode().count('title="Translation requested"') == 1


def names(response):
    return [row.name for row in response.context["rows"]]


def test_list_filters_by_question_kind_source_and_since(member_client, meeting, questions, member, entity, secretariat):
    services.post_contribution(meeting, entity=entity, title="A", questions=[questions[0]], files=[upload()], by=member)
    services.post_td(
        meeting,
        title="LS",
        source="ITU-R WP5A",
        scope=Scope.GEN,
        td_type=TdType.LIAISON_INCOMING,
        files=[upload()],
        by=secretariat,
    )
    old = services.post_td(meeting, title="Old", source="TSB", scope=Scope.PLEN, files=[upload()], by=secretariat)
    Document.objects.filter(pk=old.pk).update(last_revised_at=timezone.now() - datetime.timedelta(days=10))
    url = reverse("documents:list", args=[meeting.pk])

    assert names(member_client.get(url, {"question": questions[0].pk})) == ["C 1"]
    assert names(member_client.get(url, {"type": "ls_in"})) == ["TD 1 (GEN)"]
    assert names(member_client.get(url, {"type": "TD"})) == ["TD 1 (GEN)", "TD 2 (PLEN)"]
    assert names(member_client.get(url, {"source": "TSB"})) == ["TD 2 (PLEN)"]
    since = (timezone.now() - datetime.timedelta(days=3)).date().isoformat()
    assert names(member_client.get(url, {"since": since})) == ["C 1", "TD 1 (GEN)"]
    assert names(member_client.get(url, {"sort": "-date"})) == ["TD 1 (GEN)", "C 1", "TD 2 (PLEN)"]
    assert names(member_client.get(url, {"sort": "title"})) == ["C 1", "TD 1 (GEN)", "TD 2 (PLEN)"]


def test_search_full_text_over_number_title_source_and_abstract(member_client, meeting, member, entity, secretariat):
    services.post_contribution(
        meeting,
        entity=entity,
        title="Securing networks",
        abstract="Proposes quantum key distribution.",
        files=[upload()],
        by=member,
    )
    services.post_td(
        meeting, title="Meeting report", source="Rapporteur Q4/17", scope=Scope.PLEN, files=[upload()], by=secretariat
    )
    url = reverse("documents:list", args=[meeting.pk])
    assert names(member_client.get(url, {"q": "quantum keys"})) == ["C 1"]  # stemmed: keys → key
    assert names(member_client.get(url, {"q": "network"})) == ["C 1"]
    assert names(member_client.get(url, {"q": "rapporteur"})) == ["TD 1 (PLEN)"]
    assert names(member_client.get(url, {"q": "TD 1"})) == ["TD 1 (PLEN)"]
    assert names(member_client.get(url, {"q": "1"})) == ["C 1", "TD 1 (PLEN)"]
    assert names(member_client.get(url, {"q": "korea"})) == ["C 1"]
    assert names(member_client.get(url, {"q": "-report"})) == ["C 1"]


def test_search_uses_the_gin_index(db, meeting, questions):
    bulk_documents(meeting, questions, contributions=50, tds=50)
    documents = queries.text_search(Document.objects.all(), "identity")
    sql, params = documents.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "document_search_idx" in plan
    assert documents.count() == 50


def test_search_without_postgresql_falls_back_to_substrings(db, meeting, member, entity, monkeypatch):
    services.post_contribution(meeting, entity=entity, title="Securing networks", files=[upload()], by=member)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    found = queries.text_search(Document.objects.all(), "NETWORK")
    assert [d.display_name for d in found] == ["C 1"]
    assert [d.display_name for d in queries.text_search(Document.objects.all(), "C 1")] == ["C 1"]


def test_document_page_shows_revision_history(member_client, meeting, member, entity, django_assert_num_queries):
    document = services.post_contribution(meeting, entity=entity, title="T", files=[upload("a.docx")], by=member)
    services.add_revision(document, files=[upload("b.docx"), upload("b.pdf", b"%PDF-1.7\n")], by=member, note="Typos")
    response = member_client.get(document.get_absolute_url())
    history = [(r.display_name, r.note, [f.name for f in r.files.all()]) for r in response.context["revisions"]]
    period = f"T{meeting.study_period.first_year % 100}"
    assert history == [
        ("C 1 Rev.1", "Typos", [f"{period}-SG17-C-0001!R1!MSW-E.docx", f"{period}-SG17-C-0001!R1!PDF-E.pdf"]),
        ("C 1", "", [f"{period}-SG17-C-0001!MSW-E.docx"]),
    ]


def test_document_page_and_list_escape_markup_in_title_abstract_and_note(member_client, meeting, member, entity):
    script, escaped = "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"
    document = services.post_contribution(
        meeting, entity=entity, title=f"Title {script}", abstract=f"Abstract {script}", files=[upload()], by=member
    )
    services.add_revision(document, files=[upload()], by=member, note=f"Note {script}")

    pages = [
        member_client.get(url).content.decode()
        for url in (document.get_absolute_url(), f"/meetings/{meeting.pk}/documents/")
    ]

    assert [page.count("<script>alert") for page in pages] == [0, 0]
    assert [page.count(f"Title {escaped}") for page in pages] == [1, 1]
    assert [pages[0].count(f"Abstract {escaped}"), pages[0].count(f"Note {escaped}")] == [1, 1]


def test_zip_streams_the_latest_files_of_the_meeting(member_client, meeting, member, entity, secretariat):
    latest = docx_bytes("v1")
    first = services.post_contribution(
        meeting, entity=entity, title="A", files=[upload("a.docx", docx_bytes("v0"))], by=member
    )
    services.add_revision(first, files=[upload("a.docx", latest)], by=member)
    withdrawn = services.post_contribution(meeting, entity=entity, title="B", files=[upload()], by=member)
    services.withdraw_document(withdrawn, by=member)
    services.post_td(
        meeting, title="T", source="TSB", scope=Scope.PLEN, files=[upload("t.pdf", b"%PDF-1.4\n")], by=secretariat
    )

    response = member_client.get(reverse("documents:zip", args=[meeting.pk]))
    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="SG17-{meeting.first_day:%Y%m%d}-documents.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    period = f"T{meeting.study_period.first_year % 100}"
    assert archive.namelist() == [f"C/{period}-SG17-C-0001!R1!MSW-E.docx", f"TD/{period}-SG17-TD-0001!PDF-E.pdf"]
    assert archive.read(archive.namelist()[0]) == latest
    assert archive.testzip() is None


def test_document_page_query_count_does_not_grow_with_revisions(
    member_client, meeting, member, entity, django_assert_num_queries
):
    document = services.post_contribution(meeting, entity=entity, title="T", files=[upload()], by=member)
    # + the approvals menu badge and the draft-TD rule of the meeting; the meeting as kept, with its deadlines and
    # side events (three queries, kept between requests)
    forget_kept_answers()
    with django_assert_num_queries(12) as first:
        member_client.get(document.get_absolute_url())
    for _ in range(4):
        services.add_revision(document, files=[upload(), upload("x.pdf", b"%PDF-1.4\n")], by=member)
    forget_kept_answers()
    with django_assert_num_queries(len(first.captured_queries)):
        response = member_client.get(document.get_absolute_url())
    assert [r.display_name for r in response.context["revisions"]][:2] == ["C 1 Rev.4", "C 1 Rev.3"]


def test_the_cached_table_shows_a_posting_and_a_withdrawal_on_the_next_request(
    member_client, meeting, member, entity, secretariat, django_assert_max_num_queries
):
    """The table is a cached fragment, the same for every reader of the list; a change is seen at once."""

    cache.clear()
    url = reverse("documents:list", args=[meeting.pk])
    first = services.post_contribution(meeting, entity=entity, title="First of all", files=[upload()], by=member)
    assert "First of all" in member_client.get(url).content.decode()
    with django_assert_max_num_queries(20) as cold:
        member_client.get(url, {"sort": "title"})
    with django_assert_max_num_queries(20) as warm:
        page = member_client.get(url, {"sort": "title"}).content.decode()
    assert "First of all" in page
    assert len(warm.captured_queries) < len(cold.captured_queries)  # the rows were not read again

    services.post_contribution(meeting, entity=entity, title="Second thoughts", files=[upload()], by=member)
    page = member_client.get(url, {"sort": "title"}).content.decode()
    assert "Second thoughts" in page
    assert "2 documents" in page

    services.withdraw_document(first, by=member, reason="Merged into the second")
    page = member_client.get(url, {"sort": "title"}).content.decode()
    assert page.count('class="doc-withdrawn"') == 1

    # Another reader of the list gets the same table, with their own page around it.
    secretariat_client = type(member_client)()
    secretariat_client.force_login(secretariat)
    other = secretariat_client.get(url, {"sort": "title"}).content.decode()
    assert other.count('class="doc-withdrawn"') == 1
    assert "Second thoughts" in other


def table_key(meeting, address: str, mark) -> str:
    """The key the list's table is kept under (``documents/document_list.html``)."""
    from django.core.cache.utils import make_template_fragment_key

    from sg17portal.pagecache import meetings_version

    pages = mark.page.paginator.num_pages if mark else 1
    return make_template_fragment_key("documents_table", [meeting.pk, address, "en", meetings_version(), mark, pages])


def test_only_the_plain_lists_pages_are_kept_so_varying_an_address_cannot_fill_the_cache(
    member_client, meeting, member, entity
):
    cache.clear()
    services.post_contribution(meeting, entity=entity, title="Kept or not", files=[upload()], by=member)
    url = reverse("documents:list", args=[meeting.pk])

    def kept(query: str, sort: str | None = None) -> bool:
        assert "Kept or not" in member_client.get(f"{url}{query}").content.decode()
        mark = sort and queries.meeting_documents_mark(meeting, queries.DocumentFilters(sort=sort))
        return cache.get(table_key(meeting, f"{url}{query}", mark)) is not None

    assert [kept("", "number"), kept("?sort=title", "title"), kept("?page=1&sort=-date", "-date")] == [True] * 3
    assert [kept("?q=kept"), kept("?sort=title&junk=1"), kept("?sort=nonsense"), kept("?page=x1")] == [False] * 4


def test_a_posting_on_another_page_leaves_the_kept_page_and_a_change_on_it_shows_at_once(
    member_client, meeting, member, entity, secretariat, questions
):
    """A page of the list is kept under a digest of what its rows show: a contribution that lands on the last page
    leaves the first page's table kept (its rows are not read or rendered again) while the count says there is one
    more; a revision, a withdrawal or a change of Questions on the page shows on the next request."""
    from documents.models import NumberSeries

    cache.clear()
    bulk_documents(meeting, questions, contributions=205, tds=0, entity=entity)
    of_series = {"study_group": meeting.study_group, "study_period": meeting.study_period, "kind": Kind.CONTRIBUTION}
    NumberSeries.objects.update_or_create(**of_series, scope="", defaults={"last_number": 205})
    url = reverse("documents:list", args=[meeting.pk])
    first_page = member_client.get(url).content.decode()
    assert "205 documents" in first_page
    assert "1–200 shown" in first_page

    services.post_contribution(meeting, entity=entity, title="Lands on page two", files=[upload()], by=member)
    with CaptureQueriesContext(connection) as after_posting:
        page = member_client.get(url).content.decode()
    sql = " ".join(query["sql"] for query in after_posting.captured_queries)
    assert "sha256" in sql  # the mark was read again: the content changed
    assert "OVER ()" not in sql  # ...but not the rows (read with the count of all beside them)
    assert "206 documents" in page
    assert "1–200 shown" in page
    assert "Lands on page two" not in page
    assert page.split("<tbody>")[1].split("</tbody>")[0] == first_page.split("<tbody>")[1].split("</tbody>")[0]
    assert "Lands on page two" in member_client.get(url, {"page": 2}).content.decode()

    on_page = Document.objects.get(meeting=meeting, kind=Kind.CONTRIBUTION, number=3)
    services.add_revision(on_page, files=[upload()], by=member)
    assert f">C {on_page.number} Rev.{on_page.latest_revision + 1}<" in member_client.get(url).content.decode()
    services.withdraw_document(on_page, by=secretariat, reason="Superseded")
    assert member_client.get(url).content.decode().count('class="doc-withdrawn"') == 1
    on_page.questions.set([questions[-1]])
    assert f"Q{questions[-1].number}/{meeting.study_group.number}" in member_client.get(url).content.decode()


def test_a_page_past_the_end_of_a_kept_list_shows_the_last_page(member_client, meeting, questions):
    cache.clear()
    bulk_documents(meeting, questions, contributions=205, tds=0)
    url = reverse("documents:list", args=[meeting.pk])
    for _ in range(2):  # read, then kept
        page = member_client.get(url, {"page": 99}).content.decode()
        assert "201–205 shown" in page
        assert page.count("<tr>") + page.count('<tr class="doc-withdrawn">') == 5 + 1  # the rows and the header


def test_the_filter_form_is_kept_with_the_table_and_shows_a_new_question_and_source_at_once(
    member_client, meeting, member, entity
):
    """A warm list reads neither the Questions nor the sources for its filter form; a change is seen at once."""

    from meetings.models import Question

    cache.clear()
    url = reverse("documents:list", args=[meeting.pk])
    services.post_contribution(meeting, entity=entity, title="Filter me", files=[upload()], by=member)
    member_client.get(url)

    with CaptureQueriesContext(connection) as warm:
        page = member_client.get(url).content.decode()

    tables = " ".join(query["sql"] for query in warm.captured_queries)
    assert "meetings_question" not in tables
    assert 'DISTINCT "documents_document"."source"' not in tables
    assert f'<option value="{entity.name}">{entity.name}</option>' in page
    assert 'name="question"' in page

    Question.objects.create(study_group=meeting.study_group, number=29, title="A Question made today")
    page = member_client.get(url).content.decode()
    assert f">Q29/{meeting.study_group.number}</option>" in page
    # A search is rendered each time, with what was asked kept in the form.
    searched = member_client.get(url, {"q": "filter"}).content.decode()
    assert 'value="filter"' in searched
    assert "Filter me" in searched


def test_after_a_posting_the_table_is_rendered_again_but_not_its_filter_form_unless_a_source_is_new(
    member_client, meeting, questions, member, entity, secretariat
):
    """A posting replaces the content version, so the table is rendered again; the filter form inside it is kept
    under the Questions and the sources it offers, and only a new source renders it again."""

    cache.clear()
    url = reverse("documents:list", args=[meeting.pk])
    services.post_contribution(meeting, entity=entity, title="Opening move", files=[upload()], by=member)
    member_client.get(url)

    services.post_contribution(meeting, entity=entity, title="Second move", files=[upload()], by=member)
    with CaptureQueriesContext(connection) as after_posting:
        page = member_client.get(url).content.decode()
    tables = " ".join(query["sql"] for query in after_posting.captured_queries)
    assert "Second move" in page
    assert "2 documents" in page
    assert 'DISTINCT "documents_document"."source"' in tables  # the key of the kept form
    assert 'FROM "meetings_question"' not in tables  # the form (its Questions) was not rendered again
    assert page.count(f">Q{questions[0].number}/{meeting.study_group.number}</option>") == 1

    services.post_td(meeting, title="Agenda", source="TSB", scope=Scope.PLEN, files=[upload()], by=secretariat)
    page = member_client.get(url).content.decode()
    assert '<option value="TSB">TSB</option>' in page
    assert f'<option value="{entity.name}">{entity.name}</option>' in page


def test_list_rows_are_written_with_their_marks_in_the_readers_language_and_escaped(
    member_client, meeting, member, entity
):
    from django.utils import translation

    late = services.post_contribution(
        meeting, entity=entity, title='Late & "loud" <b>', files=[upload()], by=member, translation_requested=True
    )
    Document.objects.filter(pk=late.pk).update(is_late=True)
    services.withdraw_document(late, by=member, reason="Too late")
    plain = services.post_contribution(meeting, entity=entity, title="Plain", files=[upload()], by=member)
    forget_kept_answers()

    with translation.override("fr"):
        french = reverse("documents:list", args=[meeting.pk])
        late_url, plain_url = late.get_absolute_url(), plain.get_absolute_url()
    page = member_client.get(french).content.decode()
    late.refresh_from_db()
    assert (
        f'<tr class="doc-withdrawn"><td class="text-nowrap"><a href="{late_url}">C 1</a></td>'
        f"<td>Late &amp; &quot;loud&quot; &lt;b&gt;</td><td>{entity.name}</td><td></td>"
        f'<td class="text-nowrap">{late.last_revised_at.astimezone(meeting.zone).date().isoformat()}</td>'
        '<td class="text-nowrap"><span class="badge text-bg-warning">en retard</span> '
        '<span class="badge text-bg-info" title="Traduction demandée">traduction</span> '
        '<span class="badge text-bg-secondary">retiré</span></td></tr>'
    ) in page
    assert f'<tr><td class="text-nowrap"><a href="{plain_url}">C 2</a></td><td>Plain</td>' in page
    assert member_client.get(french, {"q": "nothing of the kind"}).content.decode().count("Aucun document") == 1
