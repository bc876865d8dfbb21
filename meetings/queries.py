"""Reads of meetings used in several places, and the ones that authorize."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import KeyDeadline, LetterIssue, Meeting, SideEvent, StudyGroup


def public_meetings() -> QuerySet[Meeting]:
    """Meetings anyone may read: announced and closed ones, never drafts."""
    return Meeting.objects.exclude(state=Meeting.State.DRAFT)


def meeting_with_details() -> QuerySet[Meeting]:
    """Meetings with what their page, letter and calendar show, fetched in three queries."""
    return Meeting.objects.select_related("study_group", "study_period").prefetch_related(
        Prefetch("deadlines", queryset=KeyDeadline.objects.order_by("day", "kind")),
        Prefetch("side_events", queryset=SideEvent.objects.order_by("starts_at", "pk")),
    )


def access_meeting(user, pk: int, *, queryset: QuerySet[Meeting] | None = None) -> Meeting:
    """The meeting ``pk`` if ``user`` may read it; 404 otherwise, so that drafts stay unknown to the public."""
    queryset = meeting_with_details() if queryset is None else queryset
    try:
        meeting = queryset.get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    if not user.has_perm("meetings.view_meeting", meeting):
        raise Http404("No such meeting.")
    return meeting


def meeting_zone_today(meeting: Meeting, now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(meeting.zone).date()


def upcoming_cutoff(now: datetime.datetime | None = None) -> datetime.date:
    """Meetings whose last day is on or after this day are upcoming (or running).

    The day is taken in UTC; a meeting on its last day is still "upcoming" everywhere on Earth for a few hours
    at most, which a listing can live with.
    """
    return (now or timezone.now()).astimezone(datetime.UTC).date()


def study_groups_with_upcoming_meetings(now: datetime.datetime | None = None) -> QuerySet[StudyGroup]:
    """Every study group with ``upcoming_meetings``: its public meetings not yet over, soonest first."""
    upcoming = (
        public_meetings()
        .filter(last_day__gte=upcoming_cutoff(now))
        .select_related("study_group")
        .order_by("first_day", "pk")
    )
    return StudyGroup.objects.prefetch_related(Prefetch("meetings", queryset=upcoming, to_attr="upcoming_meetings"))


def meetings_of_study_group(group: StudyGroup, now: datetime.datetime | None = None):
    """The public meetings of ``group`` as (upcoming soonest first, past latest first), in one query."""
    cutoff = upcoming_cutoff(now)
    meetings = list(public_meetings().filter(study_group=group).select_related("study_group").order_by("first_day"))
    upcoming = [m for m in meetings if m.last_day >= cutoff]
    past = [m for m in reversed(meetings) if m.last_day < cutoff]
    return upcoming, past


def deadline_of(meeting: Meeting, kind: str) -> KeyDeadline | None:
    """The meeting's stored deadline of ``kind``, read from its prefetched deadlines when they are loaded."""
    deadline = next((d for d in meeting.deadlines.all() if d.kind == kind), None)
    if deadline is not None:
        deadline.meeting = meeting  # closes_at reads the meeting's zone
    return deadline


def addendum_count(meeting_pk: int) -> int:
    return LetterIssue.objects.filter(meeting_id=meeting_pk, number__gt=0).count()


def latest_addendum(meeting_pk: int) -> LetterIssue | None:
    return LetterIssue.objects.filter(meeting_id=meeting_pk, number__gt=0).order_by("-number").first()


def issued_letters(meeting: Meeting) -> tuple[LetterIssue | None, list[LetterIssue]]:
    """The letter as issued (None if it was never kept) and its addenda, oldest first, in one query."""
    issues = list(LetterIssue.objects.filter(meeting=meeting).order_by("number"))
    letter = issues[0] if issues and issues[0].number == 0 else None
    return letter, [issue for issue in issues if issue.number > 0]


def access_addendum(user, meeting_pk: int, number: int) -> tuple[Meeting, LetterIssue, LetterIssue | None]:
    """An addendum of a meeting the user may read, with the meeting and the letter it adds to; 404 otherwise."""
    meeting = access_meeting(user, meeting_pk)
    letter, addenda = issued_letters(meeting)
    addendum = next((a for a in addenda if a.number == number), None)
    if addendum is None:
        raise Http404("No such addendum.")
    return meeting, addendum, letter
