"""Publishing the draft agenda or time plan as a new, frozen version, and telling the delegates."""

import dataclasses

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import AGENDA_PUBLISHED, TIME_PLAN_PUBLISHED, publish_event
from notifications.services import queue_rendered, render_mail
from registration.models import Registration
from sg17portal.celery import enqueue_on_commit

from .. import queries
from ..diff import SCHEDULING_FIELDS, diff_agendas, diff_time_plans
from ..models import AgendaItem, AgendaVersion, Session, TimePlanVersion
from ..numbering import flatten
from .drafts import lock_draft
from .errors import NothingToPublish


def _new_version(model, meeting, draft, *, previous, note, by, **fields):
    return model.objects.create(
        **fields,
        meeting=meeting,
        number=(previous.number if previous else 0) + 1,
        note=note,
        published_at=timezone.now(),
        published_by=by,
        revision=draft.revision,
        changed_at=draft.changed_at,
        changed_by=draft.changed_by,
    )


def copy_items(nodes, version, *, with_documents=True) -> None:
    """Copies numbered items into ``version``, one insert per level, keeping their uids (and their Questions, and
    their documents unless ``with_documents`` is False)."""
    copies = {}
    depth = 0
    while level := [n for n in nodes if n.depth == depth]:
        rows = [
            AgendaItem(
                version=version,
                uid=n.item.uid,
                parent=copies.get(n.item.parent_id),
                position=n.item.position,
                title=n.item.title,
                description=n.item.description,
                working_party=n.item.working_party,
            )
            for n in level
        ]
        AgendaItem.objects.bulk_create(rows)
        copies.update({n.item.pk: row for n, row in zip(level, rows, strict=True)})
        depth += 1
    questions, documents = AgendaItem.questions.through, AgendaItem.documents.through
    questions.objects.bulk_create(
        [
            questions(agendaitem_id=copies[n.item.pk].pk, question_id=question.pk)
            for n in nodes
            for question in n.item.questions.all()
        ]
    )
    if with_documents:
        documents.objects.bulk_create(
            [
                documents(agendaitem_id=copies[n.item.pk].pk, document_id=document.pk)
                for n in nodes
                for document in n.item.documents.all()
            ]
        )


def _approved_registrants(meeting):
    return (
        Registration.objects.filter(meeting=meeting, state=Registration.State.APPROVED, delegate__is_active=True)
        .values_list("delegate_id", "delegate__email", "delegate__language")
        .order_by("delegate_id")
    )


def queue_publication_notices(meeting, *, template: str, context: dict, key: str) -> int:
    """Queues one notice per approved registrant of ``meeting``, rendered once per language they read, with the
    dedupe key ``<key>:to:<user id>``. Returns how many were new.

    Side effects, in order: the outbox rows, in one statement.
    """
    rendered = {}
    mails = []
    for user_id, email, language in _approved_registrants(meeting):
        if language not in rendered:
            context = {"meeting": meeting, **context}
            rendered[language] = render_mail(
                to="", template=template, context=context, dedupe_key=key, language=language
            )
        mails.append(dataclasses.replace(rendered[language], recipient=email, dedupe_key=f"{key}:to:{user_id}"))
    return queue_rendered(mails)


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}"


def _publish(event_type: str, version) -> None:
    publish_event(
        event_type=event_type,
        event_id=f"{event_type}:{version.meeting_id}:{version.number}",
        data={"meeting_id": version.meeting_id, "version": version.number},
        at=version.published_at,
    )


@transaction.atomic
def publish_agenda(meeting, *, revision, by, note="", issue_as_td=False) -> AgendaVersion:
    """Freezes the draft agenda as the meeting's next agenda version.

    Side effects, in order: the draft is locked and checked against ``revision``; an empty draft, or one
    identical to the last version, is refused; the version row and copies of the draft's items with their
    Questions and documents are written; one notice per approved registrant, naming what changed, is queued
    in the outbox; the publication is published as an event (webhooks); with ``issue_as_td``, on commit, the
    task that posts its PDF as the agenda TD (or the next revision of it, see ``services.td``).
    """
    draft = lock_draft(AgendaVersion, meeting, revision=revision)
    previous = queries.current_version(AgendaVersion, meeting)
    new_tree = queries.agenda_tree(draft)
    if not new_tree:
        raise NothingToPublish(_("The draft agenda has no items yet."))
    changes = diff_agendas(queries.agenda_tree(previous) if previous else [], new_tree)
    if previous is not None and not changes:
        raise NothingToPublish(
            _("The draft is the same as version %(number)s: there is nothing new to publish.")
            % {"number": previous.number}
        )
    version = _new_version(AgendaVersion, meeting, draft, previous=previous, note=note, by=by, issue_as_td=issue_as_td)
    copy_items(flatten(new_tree), version)
    url = reverse("agenda:agenda_version", kwargs={"meeting_pk": meeting.pk, "number": version.number})
    queue_publication_notices(
        meeting,
        template="agenda/mail/agenda_published",
        context={"version": version, "previous": previous, "changes": changes, "url": _absolute(url)},
        key=f"agenda:agenda-version:{version.pk}",
    )
    _publish(AGENDA_PUBLISHED, version)
    if issue_as_td:
        enqueue_on_commit("agenda.issue_agenda_tds", meeting.pk)
    return version


def _copy_sessions(sessions, previous_by_uid, version) -> None:
    """Copies sessions into ``version``; a session whose time, room or title changed gets the next SEQUENCE."""
    rows = []
    for session in sessions:
        before = previous_by_uid.get(session.uid)
        sequence = 0
        if before is not None:
            moved = any(getattr(before, name) != getattr(session, name) for name in SCHEDULING_FIELDS)
            sequence = before.sequence + 1 if moved else before.sequence
        rows.append(
            Session(
                version=version,
                uid=session.uid,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                title=session.title,
                room=session.room,
                captioning=session.captioning,
                remote_participation=session.remote_participation,
                join_url=session.join_url,
                agenda_item_uids=session.agenda_item_uids,
                sequence=sequence,
            )
        )
    Session.objects.bulk_create(rows)
    through = Session.questions.through
    through.objects.bulk_create(
        [
            through(session_id=row.pk, question_id=question.pk)
            for session, row in zip(sessions, rows, strict=True)
            for question in session.questions.all()
        ]
    )


@transaction.atomic
def publish_time_plan(meeting, *, revision, by, note="") -> TimePlanVersion:
    """Freezes the draft time plan as the meeting's next time plan version.

    Side effects, in order: the draft is locked and checked against ``revision``; an empty draft, or one
    identical to the last version, is refused; the version row and copies of the sessions (SEQUENCE raised
    for those that moved) with their Questions are written; one notice per approved registrant, naming what
    changed, is queued in the outbox; the publication is published as an event (webhooks).
    """
    draft = lock_draft(TimePlanVersion, meeting, revision=revision)
    previous = queries.current_version(TimePlanVersion, meeting)
    sessions = list(queries.sessions_of(draft))
    if not sessions:
        raise NothingToPublish(_("The draft time plan has no sessions yet."))
    previous_sessions = list(queries.sessions_of(previous)) if previous else []
    changes = diff_time_plans(previous_sessions, sessions)
    if previous is not None and not changes:
        raise NothingToPublish(
            _("The draft is the same as version %(number)s: there is nothing new to publish.")
            % {"number": previous.number}
        )
    version = _new_version(TimePlanVersion, meeting, draft, previous=previous, note=note, by=by)
    _copy_sessions(sessions, {s.uid: s for s in previous_sessions}, version)
    url = reverse("agenda:time_plan_version", kwargs={"meeting_pk": meeting.pk, "number": version.number})
    queue_publication_notices(
        meeting,
        template="agenda/mail/time_plan_published",
        context={"version": version, "previous": previous, "changes": changes, "url": _absolute(url)},
        key=f"agenda:time-plan-version:{version.pk}",
    )
    _publish(TIME_PLAN_PUBLISHED, version)
    return version
