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
    """The study groups (by number) whose draft meetings ``user`` may read; ``EVERY_STUDY_GROUP`` for all.

    This is the draft rule of the whole portal: the meeting pages, documents, registration and agenda ask it
    through ``meetings.view_meeting`` and ``meetings.queries.meetings_visible_to``.
    """
    if is_secretariat(user):
        return EVERY_STUDY_GROUP
    return frozenset()


@rules.predicate
def is_public_meeting(user, meeting):
    return meeting is not None and meeting.is_public


@rules.predicate
def may_read_draft_meeting(user, meeting):
    if meeting is None:
        return False
    groups = study_groups_whose_drafts_are_readable_by(user)
    return groups is EVERY_STUDY_GROUP or (bool(groups) and meeting.study_group.number in groups)


@rules.predicate
def is_chair(user, meeting):
    """Chair or vice-chair of the meeting's study group; without a meeting (an index page), of any study group."""
    chaired = chaired_study_groups(user)
    if meeting is None:
        return bool(chaired)
    return meeting.study_group.number in chaired


# Who reads the drafts kept for a meeting (its draft agenda and time plan): every app that has drafts of a
# meeting asks this one predicate (``agenda.view_draft``), never composes its own.
may_read_drafts = is_secretariat | is_chair

can_view_meeting = is_public_meeting | may_read_draft_meeting

# Setting up meetings, their side events and deadlines, and announcing them.
rules.add_perm("meetings.manage_meetings", is_secretariat)
# Announced and closed meetings are public; drafts only for those the draft rule above names.
rules.add_perm("meetings.view_meeting", can_view_meeting)
