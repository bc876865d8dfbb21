"""Editing the draft time plan: sessions added, changed and deleted.

Every function locks the meeting's draft time plan and refuses with ``StaleDraft`` when it changed since
``revision``. Two sessions in the same room may not overlap; virtual sessions (no room) may.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sg17portal.dates import format_date, format_time_range

from ..models import Session, TimePlanVersion
from .drafts import lock_draft, touch_draft
from .errors import SessionOverlap


def describe_session(session, zone) -> str:
    """ "“Q4/17” (Tuesday 24 August 2021, 10:00–12:00 CEST)" in the meeting's zone."""
    return _("“%(title)s” (%(day)s, %(hours)s)") % {
        "title": session.title,
        "day": format_date(timezone.localtime(session.starts_at, zone), "weekday"),
        "hours": format_time_range(session.starts_at, session.ends_at, zone),
    }


def _refuse_overlap(draft, session) -> None:
    room = session.room.strip()
    if not room:
        return
    other = (
        Session.objects.filter(
            version=draft, room__iexact=room, starts_at__lt=session.ends_at, ends_at__gt=session.starts_at
        )
        .exclude(pk=session.pk)
        .order_by("starts_at")
        .first()
    )
    if other is not None:
        raise SessionOverlap(
            _("Room %(room)s is already taken at that time by %(other)s.")
            % {"room": other.room, "other": describe_session(other, draft.meeting.zone)},
            other,
        )


def _save(draft, session, *, questions, by) -> Session:
    session.room = session.room.strip()
    session.full_clean(exclude=["version"])
    _refuse_overlap(draft, session)
    session.save()
    if questions is not None:
        session.questions.set(questions)
    touch_draft(draft, by=by)
    return session


@transaction.atomic
def add_session(
    meeting,
    *,
    revision,
    by,
    starts_at,
    ends_at,
    title,
    room="",
    captioning=False,
    remote_participation=True,
    join_url="",
    questions=None,
    agenda_item_uids=(),
) -> Session:
    """Adds a session to the draft time plan.

    Side effects, in order: the draft is locked (created if needed); an overlap in the same room is
    refused, naming the other session; the session row and its Questions are written; the draft's
    revision goes up.
    """
    draft = lock_draft(TimePlanVersion, meeting, revision=revision)
    session = Session(
        version=draft,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        room=room,
        captioning=captioning,
        remote_participation=remote_participation,
        join_url=join_url,
        agenda_item_uids=[str(uid) for uid in agenda_item_uids],
    )
    return _save(draft, session, questions=questions, by=by)


@transaction.atomic
def update_session(
    session,
    *,
    revision,
    by,
    starts_at,
    ends_at,
    title,
    room="",
    captioning=False,
    remote_participation=True,
    join_url="",
    questions=None,
    agenda_item_uids=(),
) -> Session:
    """Changes a session of the draft time plan.

    Side effects, in order: the draft is locked; an overlap in the same room is refused, naming the
    other session; the session row and its Questions are written; the draft's revision goes up.
    """
    draft = lock_draft(TimePlanVersion, session.version.meeting, revision=revision)
    session = Session.objects.get(pk=session.pk, version=draft)
    session.starts_at, session.ends_at, session.title, session.room = starts_at, ends_at, title, room
    session.captioning, session.remote_participation = captioning, remote_participation
    session.join_url = join_url
    session.agenda_item_uids = [str(uid) for uid in agenda_item_uids]
    return _save(draft, session, questions=questions, by=by)


@transaction.atomic
def delete_session(session, *, revision, by) -> None:
    """Deletes a session of the draft time plan.

    Side effects, in order: the draft is locked; the session row is deleted; the draft's revision goes up.
    """
    draft = lock_draft(TimePlanVersion, session.version.meeting, revision=revision)
    Session.objects.filter(pk=session.pk, version=draft).delete()
    touch_draft(draft, by=by)
