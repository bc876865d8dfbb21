"""Long lists shown a page at a time, in the same number of queries as the whole list.

``page_of`` reads one page of rows and the number of all rows in one query (a window count over the filtered
rows), so a list's query count is the same for one row and for thousands. The page is a Django ``Page`` for the
pager (``_pager.html``), whose links keep the filters, search and sorting of the address.
"""

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "paging_total"


def is_plain_page(request, *others: str) -> bool:
    """Whether the address asks for nothing but a page of a list (a number of at most four digits) and the
    parameters named in ``others``: the addresses whose rendering a cached list keeps. Any other is rendered each
    time, so no one fills the cache by varying an address."""
    number = request.GET.get("page", "1")
    return set(request.GET) <= {"page", *others} and number.isdigit() and len(number) <= 4


def _number(value) -> int:
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
    number = _number(page)
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
