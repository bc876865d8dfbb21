"""Reads of meetings used in several places, and the ones that authorize."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sg17portal.pagecache import MEETINGS_VERSION_KEY, kept

from . import extensions
from .models import KeyDeadline, LetterIssue, Meeting, MeetingText, SideEvent, StudyGroup
from .rules import EVERY_STUDY_GROUP, can_view_meeting, study_groups_whose_drafts_are_readable_by


def visible_meeting_filter(user, *, prefix: str = "") -> Q:
    """The condition on meetings (or on rows reaching a meeting through ``prefix``, e.g. ``"meeting__"``) that
    ``user`` may read: the same answer as the ``meetings.view_meeting`` rule, as a query filter."""
    public = ~Q(**{f"{prefix}state": Meeting.State.DRAFT})
    groups = study_groups_whose_drafts_are_readable_by(user)
    if groups is EVERY_STUDY_GROUP:
        return Q()
    if groups:
        return public | Q(**{f"{prefix}state": Meeting.State.DRAFT, f"{prefix}study_group__number__in": groups})
    return public


def meetings_visible_to(user, queryset: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """The meetings ``user`` may know of: announced and closed ones, and the drafts the draft rule allows."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    return queryset.filter(visible_meeting_filter(user))


def meeting_visible_to(user, meeting: Meeting) -> bool:
    """Whether ``user`` may know of ``meeting`` (already fetched): the rule ``meetings_visible_to`` filters by."""
    return can_view_meeting.test(user, meeting)


def meeting_with_details() -> QuerySet[Meeting]:
    """Meetings with what their page, letter and calendar show, fetched in three queries (four in a language other
    than English: the meeting's own texts in that language, see ``texts``)."""
    queryset = Meeting.objects.select_related("study_group", "study_period").prefetch_related(
        Prefetch("deadlines", queryset=KeyDeadline.objects.order_by("day", "kind")),
        Prefetch("side_events", queryset=SideEvent.objects.order_by("starts_at", "pk")),
    )
    language = get_language()
    if language and language != settings.LANGUAGE_CODE:
        queryset = queryset.prefetch_related(Prefetch("texts", queryset=MeetingText.objects.filter(language=language)))
    return queryset


# How long a meeting stays kept at most (``kept_meeting``); any change to the meetings app replaces it before that.
MEETING_SECONDS = 3600


def kept_meeting(pk: int) -> Meeting | None:
    """Meeting ``pk`` as ``meeting_with_details()`` fetches it in the active language (its study group and period,
    deadlines, side events and texts), or None. It is kept in the cache under the meetings' version, which every
    change to the meetings app's rows replaces (``sg17portal.pagecache``): a meeting is read on every page about
    it, and changes a few times a month. Each call gives an object of its own."""
    return kept(
        f"meetings:meeting:{pk}:{get_language()}",
        [MEETINGS_VERSION_KEY],
        lambda: meeting_with_details().filter(pk=pk).first(),
        MEETING_SECONDS,
        # Addresses that name no meeting are not kept: nobody fills the cache by inventing them.
        keep=lambda meeting: meeting is not None,
    )


def access_meeting(
    user, pk, *, perm: str, queryset: QuerySet[Meeting] | None = None, states: tuple[str, ...] | None = None
) -> Meeting:
    """The meeting ``pk`` fetched and authorized in one call, for every app.

    404 when it does not exist, when ``user`` may not know of it (a draft, see ``meetings.rules``) or when
    ``states`` is given and it is in none of them; 403 when ``user`` sees it but lacks ``perm`` on it. By default
    the meeting is the kept one (``kept_meeting``), with its study group and period, deadlines, side events and
    texts; ``queryset`` fetches it from the database instead, with what that queryset adds.
    """
    if queryset is not None:
        try:
            meeting = meetings_visible_to(user, queryset).get(pk=pk)
        except (Meeting.DoesNotExist, ValueError, TypeError):
            raise Http404(_("No such meeting.")) from None
        authorize_meeting(user, meeting, perm=perm, states=states)
        return meeting
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise Http404(_("No such meeting.")) from None
    return authorize_meeting(user, kept_meeting(pk), perm=perm, states=states)


def authorize_meeting(user, meeting: Meeting | None, *, perm: str, states: tuple[str, ...] | None = None) -> Meeting:
    """The seam's check for a meeting fetched with the row that names it (a key deadline, a side event): the same
    answers as ``access_meeting`` without fetching the meeting again. 404 when there is none, when ``user`` may not
    know of it (the draft rule, ``meetings.rules``) or when it is in none of ``states`` (if given); 403 when ``user``
    sees it but lacks ``perm`` on it."""
    if meeting is None or not meeting_visible_to(user, meeting) or (states is not None and meeting.state not in states):
        raise Http404(_("No such meeting."))
    if perm != "meetings.view_meeting" and not user.has_perm(perm, meeting):
        raise PermissionDenied
    return meeting


def access_key_deadline(user, meeting_pk, kind: str, *, perm: str) -> KeyDeadline:
    """The stored deadline ``kind`` of meeting ``meeting_pk``, fetched with its meeting in one query and authorized
    as ``access_meeting`` would (404, then 403)."""
    deadline = (
        KeyDeadline.objects.select_related("meeting__study_group", "meeting__study_period")
        .filter(meeting_id=meeting_pk, kind=kind)
        .first()
    )
    authorize_meeting(user, deadline.meeting if deadline else None, perm=perm)
    return deadline


def access_side_event(user, meeting_pk, pk, *, perm: str) -> SideEvent:
    """Side event ``pk`` of meeting ``meeting_pk``, fetched with its meeting in one query and authorized as
    ``access_meeting`` would (404, then 403)."""
    side_event = (
        SideEvent.objects.select_related("meeting__study_group", "meeting__study_period")
        .filter(meeting_id=meeting_pk, pk=pk)
        .first()
    )
    authorize_meeting(user, side_event.meeting if side_event else None, perm=perm)
    return side_event


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
        meetings_visible_to(AnonymousUser())
        .filter(last_day__gte=upcoming_cutoff(now))
        .select_related("study_group")
        .order_by("first_day", "pk")
    )
    return StudyGroup.objects.prefetch_related(Prefetch("meetings", queryset=upcoming, to_attr="upcoming_meetings"))


def meetings_of_study_group(group: StudyGroup, now: datetime.datetime | None = None):
    """The public meetings of ``group`` as (upcoming soonest first, past latest first), in one query."""
    cutoff = upcoming_cutoff(now)
    meetings = list(
        meetings_visible_to(AnonymousUser())
        .filter(study_group=group)
        .select_related("study_group")
        .order_by("first_day")
    )
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


def addenda_listed(meeting: Meeting) -> list[LetterIssue]:
    """The meeting's addenda, oldest first, for a list of links: without the letters' text (its HTML in six
    languages, tens of kilobytes per issue) that no list shows."""
    return list(
        LetterIssue.objects.filter(meeting=meeting, number__gt=0).defer("body_html", "translations").order_by("number")
    )


def issued_letters(meeting: Meeting) -> tuple[LetterIssue | None, list[LetterIssue]]:
    """The letter as issued (None if it was never kept) and its addenda, oldest first, in one query."""
    issues = list(LetterIssue.objects.filter(meeting=meeting).order_by("number"))
    letter = issues[0] if issues and issues[0].number == 0 else None
    return letter, [issue for issue in issues if issue.number > 0]


def access_addendum(user, meeting_pk: int, number: int) -> tuple[Meeting, LetterIssue, LetterIssue | None]:
    """An addendum of a meeting the user may read, with the meeting and the letter it adds to; 404 otherwise."""
    meeting = access_meeting(user, meeting_pk, perm="meetings.view_meeting")
    letter, addenda = issued_letters(meeting)
    addendum = next((a for a in addenda if a.number == number), None)
    if addendum is None:
        raise Http404(_("No such addendum."))
    return meeting, addendum, letter


def next_deadlines(*, meetings=None, now: datetime.datetime | None = None, limit: int = 5) -> list[KeyDeadline]:
    """The soonest key deadlines still open of announced meetings (of ``meetings`` if given), soonest first.

    A deadline runs to the end of its day in its meeting's zone; taking the day before in UTC as the lower bound and
    checking each keeps the query simple and exact."""
    now = now or timezone.now()
    deadlines = KeyDeadline.objects.filter(
        meeting__state=Meeting.State.ANNOUNCED, day__gte=now.date() - datetime.timedelta(days=1)
    ).select_related("meeting__study_group")
    if meetings is not None:
        deadlines = deadlines.filter(meeting__in=meetings)
    return [d for d in deadlines.order_by("day", "meeting__first_day", "kind")[: limit + 2] if d.is_open(now)][:limit]


def announcement_gaps(meeting: Meeting) -> list[str]:
    """What a draft meeting still lacks for its collective letter to be complete."""
    gaps = []
    if not meeting.signatory.strip():
        gaps.append(_("a signatory"))
    if meeting.format != Meeting.Format.VIRTUAL and not meeting.venue.strip():
        gaps.append(_("a venue"))
    if meeting.format != Meeting.Format.PHYSICAL and not meeting.join_details.strip():
        gaps.append(_("remote participation details"))
    if not meeting.draft_agenda.strip() and extensions.annex_b(meeting) is None:
        gaps.append(_("a draft agenda (Annex B)"))
    return gaps


def drafts_missing_for_announcement() -> list[tuple[Meeting, list[str]]]:
    """Draft meetings not over yet, soonest first, each with what it lacks (only those lacking something)."""
    drafts = Meeting.objects.filter(state=Meeting.State.DRAFT, last_day__gte=upcoming_cutoff()).select_related(
        "study_group"
    )
    return [(m, gaps) for m in drafts.order_by("first_day", "pk") if (gaps := announcement_gaps(m))]
