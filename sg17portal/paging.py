"""Long lists shown a page at a time, in the same number of queries as the whole list.

``page_of`` reads one page of rows and the number of all rows in one query (a window count over the filtered
rows), so a list's query count is the same for one row and for thousands. The page is a Django ``Page`` for the
pager (``_pager.html``), whose links keep the filters, search and sorting of the address.

``page_mark`` reads, in one query and without sending them, what a page's rows are: a digest the database makes of
every value they show. A list keeps its rendered page under that digest, so a change that the page does not show
(a document added on another page) leaves it as it is, and any change it shows gives it another key at once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window

TOTAL = "paging_total"


def is_plain_page(request, *others: str) -> bool:
    """Whether the address asks for nothing but a page of a list (a number of at most four digits) and the
    parameters named in ``others``: the addresses whose rendering a cached list keeps. Any other is rendered each
    time, so no one fills the cache by varying an address."""
    number = request.GET.get("page", "1")
    return set(request.GET) <= {"page", *others} and number.isdigit() and len(number) <= 4


def page_number(value) -> int:
    """The page an address asks for: 1 for a missing or unreadable number."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _read(queryset: QuerySet, number: int, per_page: int, fields: tuple | None) -> list:
    counted = queryset.annotate(**{TOTAL: Window(Count("pk"))})
    start = (number - 1) * per_page
    if fields is not None:
        return list(counted.values_list(*fields, TOTAL)[start : start + per_page])
    return list(counted[start : start + per_page])


def page_of(queryset: QuerySet, page: str | int | None, per_page: int, *, fields: tuple | None = None):
    """The rows of page ``page`` (1 for a missing or unreadable number, the last one past the end) of the ordered
    ``queryset``, as model instances or, with ``fields``, as tuples of those fields; and the page.

    The rows come with the count of all of them in one query; a page past the end costs one count more."""
    number = page_number(page)
    rows = _read(queryset, number, per_page, fields)
    if rows:
        total = rows[0][-1] if fields is not None else getattr(rows[0], TOTAL)
    else:
        total = queryset.count() if number > 1 else 0
        last = max(1, -(-total // per_page))
        if number > last:
            number = last
            rows = _read(queryset, number, per_page, fields) if total else []
    if fields is not None:
        rows = [row[:-1] for row in rows]
    return rows, Paginator(range(total), per_page).page(number)


@dataclass(frozen=True)
class PageMark:
    """What a page of a list shows, without its rows: the page (its number, the count of all rows) and digests."""

    total: int
    number: int
    per_page: int
    rows: str  # of the page's rows, every field of them
    along: dict[str, str]  # of the rows of each query given in ``along``, by its name

    @property
    def page(self) -> Page:
        return Paginator(range(self.total), self.per_page).page(self.number)

    def __str__(self):
        return self.rows


# A digest of the text of the rows of a subquery (PostgreSQL's text of each row, the rows in the order they come).
_DIGEST = "encode(sha256(convert_to(coalesce(string_agg({alias}::text, E'\\n'), ''), 'UTF8')), 'hex')"


@dataclass(frozen=True)
class MarkStatement:
    """The query of a page's mark, compiled: its SQL and parameters, the database it runs on, the names of the
    digests of ``along``."""

    sql: str
    params: tuple
    using: str
    along: tuple[str, ...]


def mark_statement(
    queryset: QuerySet,
    page: str | int | None,
    per_page: int,
    *,
    fields: tuple,
    along: dict[str, QuerySet] | None = None,
) -> MarkStatement:
    """The query of the mark (``page_mark``) of page ``page`` of the ordered ``queryset`` (numbered as ``page_of``
    does), as the values ``fields`` show it, with digests of the rows of each query of ``along``. The database sorts
    and reads the rows; only the count and the digests come back.

    Compiling it takes longer than running it: a list whose pages are asked for over and over keeps it
    (``documents.queries.meeting_documents_mark``)."""
    along = along or {}
    start = (page_number(page) - 1) * per_page
    page_sql, page_params = queryset.values_list(*fields)[start : start + per_page].query.sql_with_params()
    count_sql, count_params = queryset.order_by().values("pk").query.sql_with_params()
    # Only SQL that Django compiled from the querysets goes into the text; every value is a parameter.
    selects = [f"(SELECT count(*) FROM ({count_sql}) AS counted)", "count(*)", _DIGEST.format(alias="shown")]  # noqa: S608
    params = [*count_params]
    for other in along.values():
        other_sql, other_params = other.query.sql_with_params()
        selects.append(f"(SELECT {_DIGEST.format(alias='other')} FROM ({other_sql}) AS other)")  # noqa: S608
        params.extend(other_params)
    params.extend(page_params)
    sql = f"SELECT {', '.join(selects)} FROM ({page_sql}) AS shown"  # noqa: S608
    return MarkStatement(sql, tuple(params), queryset.db, tuple(along))


def page_mark(statement: Callable[[int], MarkStatement], page: str | int | None, per_page: int) -> PageMark:
    """The mark of page ``page`` of a list, by the query ``statement(number)`` of page ``number``: one query, a page
    past the end one more (the last page's).

    The digest is of the rows' text, every value of every row, the values the page is sorted by included: the order
    a page shows its rows in follows from them, so two pages with one digest show the same rows in the same order
    (unless SHA-256 collides: the digest is a cache's key, not a signature)."""
    number = page_number(page)
    total, shown, rows, along = _run(statement(number))
    last = max(1, -(-total // per_page))
    if not shown and number > last:
        number = last
        total, shown, rows, along = _run(statement(number))
    return PageMark(total, number, per_page, rows, along)


def _run(statement: MarkStatement):
    with connections[statement.using].cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        total, shown, rows, *along = cursor.fetchone()
    return total, shown, rows, dict(zip(statement.along, along, strict=True))
