"""Reads of meetings used in several places, and the ones that authorize."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import KeyDeadline, Meeting, SideEvent, StudyGroup


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
