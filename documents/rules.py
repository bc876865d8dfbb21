"""Who may do what with documents. Views and templates ask these, nothing else.

Membership is asked of ``registration.queries`` on every check, never cached beyond the request, so a
person whose affiliation is withdrawn loses access on the next request.
"""

import rules

from accounts.rules import is_secretariat
from registration import queries as registration_queries


@rules.predicate
def is_member(user):
    return registration_queries.is_member(user)


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
    return registration_queries.member_entities(user).filter(pk=document.source_entity_id).exists()


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

rules.add_perm("documents.view_document", is_public_document | can_read_restricted)
rules.add_perm("documents.view_meeting_documents", can_read_restricted)
rules.add_perm("documents.post_contribution", can_read_restricted)
rules.add_perm("documents.revise_document", ~is_withdrawn & (is_secretariat | (is_contribution & is_member_of_source)))
rules.add_perm("documents.withdraw_document", ~is_withdrawn & (is_secretariat | (is_poster & can_read_restricted)))
rules.add_perm("documents.post_td", is_secretariat)
rules.add_perm("documents.manage_td_queue", is_secretariat)
rules.add_perm("documents.submit_td_draft", can_read_restricted & meeting_takes_td_drafts)
rules.add_perm("documents.view_td_draft", is_secretariat | is_submitter)
rules.add_perm("documents.download_td_template", can_read_restricted)
rules.add_perm("documents.subscribe_digest", rules.is_authenticated)
