"""Demo data: the agenda of the 2021 SG17 meeting (Annex B of TSB Collective letter 12/17), pasted through the
outline parser and published, and a small published time plan for the next SG17 meeting.

Idempotent: a meeting that already has an agenda or a time plan is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from meetings.models import Meeting, Question
from meetings.rules import chair_group_name

from . import services
from .models import AgendaVersion, TimePlanVersion
from .outline import parse_outline
from .services import td

# (day offset, start, end, title, room, captioning, Question numbers)
TIME_PLAN = [
    (0, "09:30", "12:30", "Opening plenary", "Popov", True, []),
    (0, "14:30", "17:30", "WP1/17 plenary", "Popov", False, []),
    (0, "14:30", "17:30", "Q4/17", "K", False, [4]),
    (1, "09:30", "12:30", "Q2/17", "Popov", False, [2]),
    (1, "09:30", "12:30", "Q10/17", "K", False, [10]),
    (1, "14:30", "17:30", "Q6/17", "Popov", False, [6]),
    (1, "14:30", "17:30", "Q15/17", "", False, [15]),
    (2, "09:30", "12:30", "WP2/17 plenary", "Popov", False, []),
    (2, "14:30", "17:30", "Closing plenary", "Popov", True, []),
]


def _secretariat_user():
    return get_user_model().objects.filter(email="secretariat@example.org").first()


def _write(stdout, text):
    if stdout:
        stdout.write(text)


def load_agenda_2021(by, stdout=None):
    meeting = Meeting.objects.filter(study_group__number=17, first_day=datetime.date(2021, 8, 24)).first()
    if meeting is None:
        _write(stdout, "Agenda: no 2021 SG17 meeting in the data, skipped.")
        return
    if AgendaVersion.objects.filter(meeting=meeting).exists():
        return
    # Annex B as the meetings demo stored it from the letter: the secretariat pastes it the same way.
    outline = parse_outline(meeting.draft_agenda)
    services.import_outline(meeting, revision=0, by=by, outline=outline, replace=False)
    issue = by is not None  # a TD is posted by a member of the secretariat
    services.publish_agenda(
        meeting, revision=1, by=by, note="Annex B of TSB Collective letter 12/17", issue_as_td=issue
    )
    if issue:
        # Issued here rather than by the worker, so the demo is complete as soon as it is loaded.
        td.issue_pending_agenda_tds(meeting)
    _write(stdout, f"Agenda: {outline.count()} items of Annex B published for {meeting.display_title} 2021.")


def _at(meeting, day, clock):
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=meeting.zone)


def load_time_plan(by, stdout=None):
    meeting = (
        Meeting.objects.filter(study_group__number=17, first_day__gte=timezone.localdate())
        .exclude(state=Meeting.State.DRAFT)
        .order_by("first_day")
        .first()
    )
    if meeting is None:
        _write(stdout, "Time plan: no upcoming SG17 meeting in the data, skipped.")
        return
    if TimePlanVersion.objects.filter(meeting=meeting).exists():
        return
    questions = {q.number: q for q in Question.objects.filter(study_group=meeting.study_group)}
    for revision, (offset, start, end, title, room, captioning, numbers) in enumerate(TIME_PLAN):
        day = meeting.first_day + datetime.timedelta(days=offset)
        services.add_session(
            meeting,
            revision=revision,
            by=by,
            starts_at=_at(meeting, day, start),
            ends_at=_at(meeting, day, end),
            title=title,
            room=room,
            captioning=captioning,
            questions=[questions[n] for n in numbers if n in questions],
        )
    if meeting.draft_agenda and not AgendaVersion.objects.filter(meeting=meeting).exists():
        # The upcoming meeting's agenda stays a draft: the secretariat is still working on it.
        services.import_outline(meeting, revision=0, by=by, outline=parse_outline(meeting.draft_agenda), replace=False)
    services.publish_time_plan(meeting, revision=len(TIME_PLAN), by=by, note="First time plan")
    _write(stdout, f"Time plan: {len(TIME_PLAN)} sessions published for {meeting.display_title} {meeting.first_day}.")


def load(stdout=None):
    by = _secretariat_user()
    Group.objects.get_or_create(name=chair_group_name(17))
    load_agenda_2021(by, stdout)
    load_time_plan(by, stdout)
