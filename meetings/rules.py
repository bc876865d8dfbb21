"""Who may do what with meetings, and who may read which meeting: the one place the draft rule is decided.

Announced and closed meetings are public. A draft meeting exists only for the people
``study_groups_whose_drafts_are_readable_by`` names; to everyone else it is unknown (404). The predicate
``meetings.view_meeting`` and the filter ``meetings.queries.meetings_visible_to`` both read that one function.
"""

import re

import rules

from accounts.rules import group_names, is_secretariat

# The chair and vice-chairs of a study group are the members of the group named "SG<number> chairs"
# (e.g. "SG17 chairs"), which the secretariat fills in the admin.
CHAIR_GROUP_NAME = "SG{number} chairs"
CHAIR_GROUP_PATTERN = re.compile(r"SG(\d+) chairs")


class EveryStudyGroup:
    """Stands for "the drafts of every study group"."""

    def __repr__(self):
        return "EVERY_STUDY_GROUP"


EVERY_STUDY_GROUP = EveryStudyGroup()


def chair_group_name(study_group_number: int) -> str:
    return CHAIR_GROUP_NAME.format(number=study_group_number)


def chaired_study_groups(user) -> frozenset[int]:
    """The numbers of the study groups ``user`` chairs (or vice-chairs)."""
    return frozenset(int(m.group(1)) for m in map(CHAIR_GROUP_PATTERN.fullmatch, group_names(user)) if m)


def study_groups_whose_drafts_are_readable_by(user) -> EveryStudyGroup | frozenset[int]:
    """The study groups (by number) whose drafts ``user`` may read; ``EVERY_STUDY_GROUP`` for all: the secretariat
    reads every draft, the chair and vice-chairs those of their own study group.

    This is the draft rule of the whole portal, for a draft meeting and for the drafts kept for a meeting (its
    draft agenda and time plan): the meeting pages, documents, registration, the API and the agenda ask it through
    ``meetings.view_meeting``, ``meetings.queries.meetings_visible_to`` and ``may_read_drafts``.
    """
    if is_secretariat(user):
        return EVERY_STUDY_GROUP
    return chaired_study_groups(user)


@rules.predicate
def is_public_meeting(user, meeting):
    return meeting is not None and meeting.is_public


@rules.predicate
def may_read_drafts(user, meeting):
    """Whether ``user`` reads ``meeting`` while it is a draft, and the drafts kept for it (agenda, time plan)."""
    if meeting is None:
        return False
    groups = study_groups_whose_drafts_are_readable_by(user)
    return groups is EVERY_STUDY_GROUP or (bool(groups) and meeting.study_group.number in groups)


can_view_meeting = is_public_meeting | may_read_drafts

# Setting up meetings, their side events and deadlines, and announcing them.
rules.add_perm("meetings.manage_meetings", is_secretariat)
# Announced and closed meetings are public; drafts only for those the draft rule above names.
rules.add_perm("meetings.view_meeting", can_view_meeting)
