"""Who may read and edit agendas and time plans.

- Everyone, signed in or not, reads the published versions of a public meeting: the collective letter says the
  time plan is on the study group's homepage and its Annex B is public.
- Only an approved registrant of the meeting (and the secretariat) sees the sessions' remote-participation links.
- The secretariat edits drafts and publishes them.
- Who reads the drafts (the secretariat, the chair and vice-chairs of the meeting's study group) is decided by
  ``meetings.rules.may_read_drafts``, for every app.
"""

import rules

from accounts.rules import is_secretariat
from meetings.rules import may_read_drafts
from registration import queries as registration_queries


@rules.predicate
def is_approved_registrant(user, meeting):
    return meeting is not None and registration_queries.is_approved_registrant(user, meeting)


can_read_published = rules.always_allow
can_see_join_links = is_secretariat | is_approved_registrant

rules.add_perm("agenda.view_published", can_read_published)
rules.add_perm("agenda.view_draft", may_read_drafts)
rules.add_perm("agenda.edit", is_secretariat)
rules.add_perm("agenda.view_join_links", can_see_join_links)
# Everyone signed in may replace the links of their own calendar subscriptions.
rules.add_perm("agenda.replace_own_calendar_links", rules.is_authenticated)
