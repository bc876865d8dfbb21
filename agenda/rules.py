"""Who may read and edit agendas and time plans.

- Everyone, signed in or not, reads the published versions of a public meeting: the collective letter says the
  time plan is on the study group's homepage and its Annex B is public.
- Only an approved registrant of the meeting (and the secretariat) sees the sessions' remote-participation links.
- The secretariat edits drafts and publishes them.
- The chair and vice-chairs of the meeting's study group read drafts too. They are the members of the
  group named "SG<number> chairs" (e.g. "SG17 chairs"), which the secretariat fills in the admin.
"""

import re

import rules

from accounts.rules import is_secretariat
from registration import queries as registration_queries

CHAIR_GROUP_NAME = "SG{number} chairs"
CHAIR_GROUP_PATTERN = re.compile(r"SG\d+ chairs")


def chair_group_name(study_group_number: int) -> str:
    return CHAIR_GROUP_NAME.format(number=study_group_number)


@rules.predicate
def is_approved_registrant(user, meeting):
    return meeting is not None and registration_queries.is_approved_registrant(user, meeting)


@rules.predicate
def is_chair(user, meeting):
    """Chair or vice-chair of the meeting's study group; without a meeting (the index), of any study group."""
    if not user.is_authenticated:
        return False
    # The same per-request cache as rules.is_group_member, so the groups are read once.
    if not hasattr(user, "_group_names_cache"):
        user._group_names_cache = set(user.groups.values_list("name", flat=True))
    if meeting is None:
        return any(CHAIR_GROUP_PATTERN.fullmatch(name) for name in user._group_names_cache)
    return chair_group_name(meeting.study_group.number) in user._group_names_cache


can_read_drafts = is_secretariat | is_chair
can_read_published = rules.always_allow
can_see_join_links = is_secretariat | is_approved_registrant

rules.add_perm("agenda.view_published", can_read_published)
rules.add_perm("agenda.view_draft", can_read_drafts)
rules.add_perm("agenda.edit", is_secretariat)
rules.add_perm("agenda.view_join_links", can_see_join_links)
# Everyone signed in may replace the links of their own calendar subscriptions.
rules.add_perm("agenda.replace_own_calendar_links", rules.is_authenticated)
