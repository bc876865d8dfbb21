"""Every write on meetings that is a workflow."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.events import MEETING_ANNOUNCED, MEETING_CHANGED, publish_event
from notifications.services import queue_rendered, render_mail
from sg17portal.celery import enqueue_on_commit
from sg17portal.pagecache import bump_content_version

from . import deadlines, display, extensions, queries
from .addenda import fact_changes, letter_facts
from .letter import letter_body_html
from .models import KeyDeadline, LetterIssue, Meeting, SideEvent, StudyGroup, StudyPeriod
from .texts import meeting_title


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


def _touch(meeting: Meeting) -> None:
    """Marks the meeting as changed, so that calendars and caches keyed on it see the change; a public meeting's
    change is published as an event (webhooks)."""
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now())
    bump_content_version()  # the update above sends no signal
    _publish_change(meeting)


def _event_data(meeting: Meeting) -> dict:
    return {"meeting_id": meeting.pk, "study_group": meeting.study_group.number, "state": meeting.state}


def _publish_change(meeting: Meeting) -> None:
    """A change of a public meeting is an event of its own each time (a draft changes unseen)."""
    if Meeting.objects.filter(pk=meeting.pk).exclude(state=Meeting.State.DRAFT).exists():
        event_id = f"meeting.changed:{meeting.pk}:{uuid.uuid4()}"
        publish_event(event_type=MEETING_CHANGED, event_id=event_id, data=_event_data(meeting))


@transaction.atomic
def save_meeting(meeting: Meeting, *, by=None) -> Meeting:
    """Creates or updates a meeting and recomputes its key deadlines.

    Side effects, in order: for an announced meeting, its row is locked and its letter kept as issued (if it was
    not yet); the meeting row is validated and saved; its computed deadlines are synced; for a new meeting, the
    apps built on meetings act on it (the agenda app starts the draft agenda from the Annex B text); if the dates,
    hours, venue or deadlines its letter states changed, an addendum is issued (see ``issue_addendum``); the
    change of a public meeting is published as an event.
    """
    created = meeting.pk is None
    before = None if created else _facts_before_change(meeting.pk, by=by)
    meeting.full_clean()
    meeting.save()
    sync_key_deadlines(meeting)
    if created:
        extensions.run_meeting_created_hooks(meeting, by=by)
    if before is not None:
        issue_addendum(meeting, before=before, by=by)
    _publish_change(meeting)
    return meeting


def _facts_before_change(meeting_pk: int, *, by, now: datetime.datetime | None = None):
    """For an announced meeting: locks it, keeps its letter as issued, and returns the facts its letter states.
    None for a draft or closed meeting, whose changes need no addendum."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_pk)
    if meeting.state != Meeting.State.ANNOUNCED:
        return None
    keep_issued_letter(meeting, by=by, now=now)
    return letter_facts(meeting_pk)


def keep_issued_letter(meeting: Meeting, *, by, now: datetime.datetime | None = None) -> LetterIssue:
    """Keeps the collective letter of an announced meeting as it reads now, once. Runs in the caller's transaction.

    Side effects, in order: if the meeting has no kept letter yet, one row with the letter's text, reference,
    date and signatory; on commit, its PDF in every language is queued for rendering into storage.
    """
    kept = LetterIssue.objects.filter(meeting=meeting, number=0).first()
    if kept is not None:
        return kept
    versions = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            details = queries.meeting_with_details().get(pk=meeting.pk)
            versions[language] = {
                "subject": f"{meeting_title(details)}, {display.day_range_text(details.first_day, details.last_day)}",
                "body_html": letter_body_html(details),
            }
    english = versions.pop(settings.LANGUAGE_CODE)
    kept = LetterIssue.objects.create(
        meeting=details,
        number=0,
        reference=details.letter_reference,
        issued_on=details.letter_date or queries.meeting_zone_today(details, now),
        issued_at=details.announced_at or now or timezone.now(),
        issued_by=by,
        signatory=details.signatory,
        signatory_title=details.signatory_title,
        subject=english["subject"],
        body_html=english["body_html"],
        translations=versions,
    )
    enqueue_on_commit("meetings.render_issued_pdfs", kept.pk)
    return kept


def issue_addendum(meeting: Meeting, *, before: dict, by, now: datetime.datetime | None = None) -> LetterIssue | None:
    """Issues "Addendum N to <letter>" when the facts the letter states differ from ``before`` (as read by
    ``letter_facts`` earlier in the same transaction, with the meeting row locked). Returns it, or None.

    Side effects, in order: the addendum row, numbered after the meeting's last one, with what changed (its PDFs
    queued for rendering on commit, as the letter's); the meeting
    is marked as changed (its calendar moves); one mail per person the apps name for the meeting (registrants,
    calendar subscribers), each address once, with a dedupe key per addendum and address.
    """
    changes = fact_changes(before, letter_facts(meeting.pk))
    if not changes:
        return None
    now = now or timezone.now()
    meeting = queries.meeting_with_details().get(pk=meeting.pk)
    letter = keep_issued_letter(meeting, by=by, now=now)
    number = (LetterIssue.objects.filter(meeting=meeting).order_by("-number").values_list("number", flat=True)[0]) + 1
    addendum = LetterIssue.objects.create(
        meeting=meeting,
        number=number,
        # Kept in English, like the letter's reference; pages translate both (``LetterIssue.reference_text``).
        reference=f"Addendum {number} to {letter.reference}",
        issued_on=queries.meeting_zone_today(meeting, now),
        issued_at=now,
        issued_by=by,
        signatory=meeting.signatory,
        signatory_title=meeting.signatory_title,
        subject=f"{meeting.display_title}, {display.day_range_text(meeting.first_day, meeting.last_day)}",
        changes=[change.as_dict() for change in changes],
    )
    enqueue_on_commit("meetings.render_issued_pdfs", addendum.pk)
    _touch(meeting)
    url = settings.SITE_URL + addendum.get_absolute_url()
    queue_rendered(
        [
            render_mail(
                to=person.email,
                language=person.language,
                template="meetings/mail/addendum",
                context={"person": person, "meeting": meeting, "addendum": addendum, "letter": letter, "url": url},
                dedupe_key=f"meetings:addendum:{addendum.pk}:{person.email.lower()}",
            )
            for person in extensions.change_audience(meeting)
        ]
    )
    return addendum


def take_collective_letter_number(study_group: StudyGroup) -> int:
    """The next number of the study group's collective letters: one series for the letters the portal issues when
    a meeting is announced and the ones the secretariat posts as documents. Runs in the caller's transaction.

    Side effects, in order: the study group row is locked and its letter counter incremented.
    """
    group = StudyGroup.objects.select_for_update().get(pk=study_group.pk)
    group.collective_letter_counter += 1
    group.save(update_fields=["collective_letter_counter"])
    return group.collective_letter_counter


@transaction.atomic
def announce_meeting(meeting: Meeting, *, by, now: datetime.datetime | None = None) -> Meeting:
    """Makes a draft meeting public and issues its collective letter.

    A draft whose letter would end without a signatory is refused (ValidationError), nothing changed.

    Side effects, in order: the meeting row is locked; if it is still a draft and has no letter reference yet,
    its study group's letter counter is incremented under a row lock and the reference
    "TSB Collective letter <n>/<study group>" is set; a missing letter date becomes today in the meeting's zone; the
    state becomes announced and the announcement time is set; the letter is kept as issued; the
    announcement is published as an event. A meeting that is no
    longer a draft is returned unchanged.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state != Meeting.State.DRAFT:
        return meeting
    if not meeting.signatory.strip():
        raise ValidationError(
            _("The meeting was not announced: its collective letter needs a signatory. Edit the meeting to add one."),
            code="no_signatory",
        )
    if not meeting.letter_reference:
        number = take_collective_letter_number(meeting.study_group)
        meeting.letter_reference = f"TSB Collective letter {number}/{meeting.study_group.number}"
    now = now or timezone.now()
    if meeting.letter_date is None:
        meeting.letter_date = queries.meeting_zone_today(meeting, now)
    meeting.state = Meeting.State.ANNOUNCED
    meeting.announced_at = now
    meeting.save(update_fields=["letter_reference", "letter_date", "state", "announced_at", "updated_at"])
    keep_issued_letter(meeting, by=by, now=now)
    publish_event(
        event_type=MEETING_ANNOUNCED, event_id=f"meeting.announced:{meeting.pk}", data=_event_data(meeting), at=now
    )
    return meeting


@transaction.atomic
def override_key_deadline(deadline: KeyDeadline, *, day, reason: str, by) -> KeyDeadline:
    """Sets a key deadline by hand; it keeps this day when the meeting's first day changes later.

    Side effects, in order: for an announced meeting, its row is locked and its letter kept as issued; the
    deadline row is locked, validated (before the first day, a reason given) and saved with who set it and when;
    the meeting is marked as changed (an event if it is public); for an announced meeting whose deadline moved,
    an addendum is issued.
    """
    before = _facts_before_change(deadline.meeting_id, by=by)
    deadline = KeyDeadline.objects.select_for_update().select_related("meeting").get(pk=deadline.pk)
    deadline.day = day
    deadline.reason = reason.strip()
    deadline.is_manual = True
    deadline.changed_by = by
    deadline.changed_at = timezone.now()
    deadline.full_clean()
    deadline.save()
    _touch(deadline.meeting)
    if before is not None:
        issue_addendum(deadline.meeting, before=before, by=by)
    return deadline


@transaction.atomic
def reset_key_deadline(deadline: KeyDeadline, *, by) -> KeyDeadline | None:
    """Gives a deadline set by hand back to the computation.

    Side effects, in order: for an announced meeting, its row is locked and its letter kept as issued; the
    deadline row is locked and loses its manual day and reason; the meeting's computed deadlines are synced (which
    moves it to its computed day, or deletes it if it no longer applies); the meeting is marked as changed (an
    event if it is public); for an announced meeting whose deadline moved, an addendum is issued. Returns the
    deadline, or None if it was deleted.
    """
    before = _facts_before_change(deadline.meeting_id, by=by)
    deadline = KeyDeadline.objects.select_for_update().select_related("meeting").get(pk=deadline.pk)
    deadline.is_manual = False
    deadline.reason = ""
    deadline.changed_by = by
    deadline.changed_at = timezone.now()
    deadline.save(update_fields=["is_manual", "reason", "changed_by", "changed_at"])
    sync_key_deadlines(deadline.meeting)
    _touch(deadline.meeting)
    if before is not None:
        issue_addendum(deadline.meeting, before=before, by=by)
    return KeyDeadline.objects.filter(pk=deadline.pk).first()


@transaction.atomic
def save_side_event(side_event: SideEvent, *, by=None) -> SideEvent:
    """Creates or updates a side event of a meeting.

    Side effects, in order: for an announced meeting, its row is locked and its letter kept as issued; the side
    event is validated (ends after it starts, close to the meeting) and saved; the meeting is marked as changed (an
    event if it is public); the letter names its side events, so an announced meeting gets an addendum.
    """
    before = _facts_before_change(side_event.meeting_id, by=by)
    side_event.full_clean()
    side_event.save()
    _touch(side_event.meeting)
    if before is not None:
        issue_addendum(side_event.meeting, before=before, by=by)
    return side_event


@transaction.atomic
def delete_side_event(side_event: SideEvent, *, by=None) -> None:
    """Removes a side event.

    Side effects, in order: for an announced meeting, its row is locked and its letter kept as issued; the side
    event row is deleted; the meeting is marked as changed (an event if it is public); for an announced meeting,
    the addendum that says the side event no longer takes place.
    """
    meeting = side_event.meeting
    before = _facts_before_change(meeting.pk, by=by)
    side_event.delete()
    _touch(meeting)
    if before is not None:
        issue_addendum(meeting, before=before, by=by)


# What a clone takes from its source: the way the meeting runs and what its letter says, not its identity.
CLONED_FIELDS = (
    "study_group",
    "title",
    "format",
    "session_start",
    "session_end",
    "time_zone",
    "venue",
    "remote_tool",
    "working_language",
    "interpretation",
    "captioning",
    "late_registration_allowed",
    "contact_reference",
    "signatory",
    "signatory_title",
    "practical_information",
    "draft_agenda",
)


@transaction.atomic
def clone_meeting(source: Meeting, *, first_day: datetime.date, by) -> Meeting:
    """A new draft meeting from ``source``: same length, hours, venue and letter texts, starting on ``first_day``.

    Side effects, in order: the new meeting row (a draft, with the study period that covers its year, else the
    source's; no letter reference, date or remote-participation details yet) is validated and saved; its key
    deadlines are computed from the new first day; the source's side events are copied, moved by as many days as
    the meeting; each app's clone step runs (the agenda copies its current version with its Questions as the new
    draft).
    """
    shift = first_day - source.first_day
    meeting = Meeting(**{name: getattr(source, name) for name in CLONED_FIELDS})
    meeting.first_day, meeting.last_day = first_day, source.last_day + shift
    meeting.study_period = (
        StudyPeriod.objects.filter(first_year__lte=first_day.year, last_year__gte=first_day.year)
        .order_by("-first_year")
        .first()
        or source.study_period
    )
    save_meeting(meeting, by=by)
    for event in source.side_events.all():
        save_side_event(
            SideEvent(
                meeting=meeting,
                title=event.title,
                kind=event.kind,
                starts_at=event.starts_at + shift,
                ends_at=event.ends_at + shift,
                registration_url=event.registration_url,
            )
        )
    for step in extensions.clone_steps():
        step(source, meeting, by=by)
    return meeting
