"""Document numbers: consecutive per study group, study period and kind (and scope, for TDs numbered per scope).

A number is taken inside the transaction that creates the document, holding a row lock on its series
(SELECT … FOR UPDATE). Concurrent postings therefore wait for one another and get distinct, consecutive
numbers; a posting that fails rolls its number back with it, so no gap is left and no number is reused.
"""

from django.db import transaction

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

    Side effects, in order: the series row is locked, or created if it is the first of its kind (a concurrent
    creator is tolerated) and then locked, and its last number incremented.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside the transaction that creates the document.")
    if kind == Kind.COLLECTIVE_LETTER:
        # Collective letters run in the study group's own series, across study periods, shared with the
        # letters issued when a meeting is announced.
        return take_collective_letter_number(study_group)
    key = {"study_group": study_group, "study_period": study_period, "kind": kind, "scope": series}
    row = NumberSeries.objects.select_for_update().filter(**key).first()
    if row is None:
        NumberSeries.objects.get_or_create(**key)
        row = NumberSeries.objects.select_for_update().get(**key)
    row.last_number += 1
    row.save(update_fields=["last_number"])
    return row.last_number
