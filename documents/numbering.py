"""Document numbers: consecutive per study group, study period and kind (and scope, for TDs numbered per scope).

A number is taken inside the transaction that creates the document, holding a row lock on its series (the
UPDATE that increments it). Concurrent postings therefore wait for one another and get distinct, consecutive
numbers; a posting that fails rolls its number back with it, so no gap is left and no number is reused.
"""

from django.db import connection, transaction

from meetings.models import StudyGroup, StudyPeriod
from meetings.services import take_collective_letter_number

from .models import Kind, NumberSeries


def series_for(kind: str, study_period: StudyPeriod, scope: str) -> str:
    """The series a new document takes its number from: a scope, or "" for the single series."""
    if kind == Kind.TD and study_period.td_numbering == StudyPeriod.TdNumbering.PER_SCOPE:
        if not scope:
            raise ValueError("A TD needs a scope when its study period numbers TDs per scope.")
        return scope
    return ""


def allocate_number(*, study_group: StudyGroup, study_period: StudyPeriod, kind: str, series: str = "") -> int:
    """Takes the next number of a series. Must run inside the transaction that saves the document.

    Side effects, in order: the series' last number is incremented, which locks its row until the transaction
    ends; a series without a row yet (the first of its kind) is created first (a concurrent creator is
    tolerated).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside the transaction that creates the document.")
    if kind == Kind.COLLECTIVE_LETTER:
        # Collective letters run in the study group's own series, across study periods, shared with the
        # letters issued when a meeting is announced.
        return take_collective_letter_number(study_group)
    key = {"study_group": study_group, "study_period": study_period, "kind": kind, "scope": series}
    number = _increment(key)
    if number is None:  # the series' first number
        NumberSeries.objects.get_or_create(**key)
        number = _increment(key)
    return number


def _increment(key: dict) -> int | None:
    """The series' next number, written, in one statement that also locks the row until the transaction ends (the
    ORM's update returns no value: it would take a second query to read it back). None if the series has no row."""
    table = connection.ops.quote_name(NumberSeries._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1"  # noqa: S608 - the names are the model's own
            " WHERE study_group_id = %s AND study_period_id = %s AND kind = %s AND scope = %s RETURNING last_number",
            [key["study_group"].pk, key["study_period"].pk, key["kind"], key["scope"]],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]
