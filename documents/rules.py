"""Who may do what with documents. Views, templates and the services' refusals ask these, nothing else.

Membership is asked of ``registration.queries`` on every check, never cached beyond the request, so a
person whose affiliation is withdrawn loses access on the next request.

The deadlines are rules too: a member posts and revises contributions until the contributions deadline (the end
of its day in the meeting's zone), asks for translation until the translation deadline, and the secretariat posts
at any time (late after the deadline). Each is one function taking the instant ``at`` (now by default): the
predicate behind a button asks it for now, the service asks it for the instant of the request it carries out, so
a button is shown exactly when the service would accept.
"""

import datetime

import rules

from accounts.rules import is_secretariat
from registration import queries as registration_queries
from registration.rules import is_member

from . import queries


def contributions_open(meeting, at: datetime.datetime | None = None) -> bool:
    """The meeting's contributions deadline has not passed at ``at`` (now); no deadline, no limit."""
    deadline = queries.contributions_deadline(meeting)
    return deadline is None or deadline.is_open(at)


def translation_open(meeting, at: datetime.datetime | None = None) -> bool:
    """The deadline for contributions asking for translation has not passed at ``at`` (now)."""
    deadline = queries.translation_deadline(meeting)
    return deadline is None or deadline.is_open(at)


def may_post_contribution(user, meeting, *, at: datetime.datetime | None = None) -> bool:
    """A member until the contributions deadline; the secretariat at any time (marked late after it)."""
    return is_secretariat(user) or (is_member(user) and contributions_open(meeting, at))


def may_post_for_entity(user, entity) -> bool:
    """A contribution is posted for one of ``queries.entities_to_post_for(user)``."""
    if entity is None:
        return False
    return is_secretariat(user) or entity.pk in registration_queries.member_entity_ids(user)


def may_request_translation(user, meeting, *, at: datetime.datetime | None = None) -> bool:
    """Translation is asked for until the translation deadline; the secretariat asks at any time."""
    return is_secretariat(user) or translation_open(meeting, at)


def may_revise_at(user, document, *, at: datetime.datetime | None = None) -> bool:
    """The deadline part of revising: after the contributions deadline only the secretariat revises a contribution
    (marked late). Who may revise at all is ``documents.revise_document``."""
    if is_secretariat(user) or not document.is_contribution or document.meeting is None:
        return True
    return contributions_open(document.meeting, at)


@rules.predicate
def may_post_contribution_now(user, meeting):
    return meeting is not None and may_post_contribution(user, meeting)


@rules.predicate
def may_request_translation_now(user, meeting):
    return meeting is not None and may_request_translation(user, meeting)


@rules.predicate
def may_revise_now(user, document):
    return document is not None and may_revise_at(user, document)


@rules.predicate
def is_public_document(user, document):
    return document is not None and document.is_public


@rules.predicate
def is_poster(user, document):
    return document is not None and user.is_authenticated and document.posted_by_id == user.pk


@rules.predicate
def is_member_of_source(user, document):
    if document is None or document.source_entity_id is None:
        return False
    return document.source_entity_id in registration_queries.member_entity_ids(user)


@rules.predicate
def is_contribution(user, document):
    return document is not None and document.is_contribution


@rules.predicate
def is_withdrawn(user, document):
    return document is not None and document.is_withdrawn


@rules.predicate
def is_submitter(user, draft):
    return draft is not None and user.is_authenticated and draft.submitted_by_id == user.pk


@rules.predicate
def meeting_takes_td_drafts(user, meeting):
    """Drafts are for a meeting still to be held or under way; a closed meeting has its TDs."""
    from meetings.models import Meeting

    return meeting is not None and meeting.state == Meeting.State.ANNOUNCED


can_read_restricted = is_secretariat | is_member
can_revise = ~is_withdrawn & (is_secretariat | (is_contribution & is_member_of_source))

rules.add_perm("documents.view_document", is_public_document | can_read_restricted)
rules.add_perm("documents.view_meeting_documents", can_read_restricted)
# The form page: a member reaches it after the deadline too, and reads why it is closed.
rules.add_perm("documents.post_contribution", can_read_restricted)
# Posting now, on the meeting: the button and ``services.post_contribution``'s refusal.
rules.add_perm("documents.post_contribution_now", may_post_contribution_now)
rules.add_perm("documents.request_translation_now", may_request_translation_now)
rules.add_perm("documents.revise_document", can_revise)
# Revising now, on the document: the button and ``services.add_revision``'s refusal.
rules.add_perm("documents.revise_document_now", can_revise & may_revise_now)
rules.add_perm("documents.withdraw_document", ~is_withdrawn & (is_secretariat | (is_poster & can_read_restricted)))
rules.add_perm("documents.post_td", is_secretariat)
rules.add_perm("documents.post_collective_letter", is_secretariat)
rules.add_perm("documents.manage_td_queue", is_secretariat)
rules.add_perm("documents.submit_td_draft", can_read_restricted & meeting_takes_td_drafts)
rules.add_perm("documents.view_td_draft", is_secretariat | is_submitter)
rules.add_perm("documents.download_td_template", can_read_restricted)
rules.add_perm("documents.subscribe_digest", rules.is_authenticated)
