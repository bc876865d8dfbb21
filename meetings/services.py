"""Every write on meetings that is a workflow."""

from django.db import transaction
from django.utils import timezone

from . import deadlines
from .models import KeyDeadline, Meeting


def sync_key_deadlines(meeting: Meeting) -> None:
    """Brings the computed deadlines in line with the meeting's first day and format.

    Side effects, in order: computed deadlines that no longer apply are deleted; the others are created or
    moved to their computed day. A deadline set by hand keeps its day and its reason.
    """
    computed = deadlines.key_deadlines(meeting.first_day, meeting.format)
    existing = {d.kind: d for d in meeting.deadlines.all()}
    for kind, deadline in existing.items():
        if kind not in computed and not deadline.is_manual:
            deadline.delete()
    for kind, day in computed.items():
        deadline = existing.get(kind)
        if deadline is None:
            KeyDeadline.objects.create(meeting=meeting, kind=kind, day=day)
        elif not deadline.is_manual and deadline.day != day:
            deadline.day = day
            deadline.save(update_fields=["day"])


@transaction.atomic
def save_meeting(meeting: Meeting) -> Meeting:
    """Creates or updates a meeting and recomputes its key deadlines.

    Side effects, in order: the meeting row is validated and saved; its computed deadlines are synced.
    """
    meeting.full_clean()
    meeting.save()
    sync_key_deadlines(meeting)
    return meeting


@transaction.atomic
def announce_meeting(meeting: Meeting, *, by) -> Meeting:
    """Makes a draft meeting public.

    Side effects, in order: the meeting's state becomes announced and its announcement time is set.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == Meeting.State.DRAFT:
        meeting.state = Meeting.State.ANNOUNCED
        meeting.announced_at = timezone.now()
        meeting.save(update_fields=["state", "announced_at", "updated_at"])
    return meeting
