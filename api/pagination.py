from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Opaque cursors (``next``/``previous`` links): stable under inserts, no counting of the whole list."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "id"


class MeetingCursor(Cursor):
    ordering = ("-first_day", "-id")
