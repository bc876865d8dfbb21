"""Who may do what with meetings."""

import rules

from accounts.rules import is_secretariat


@rules.predicate
def is_public_meeting(user, meeting):
    return meeting is not None and meeting.is_public


# Setting up meetings, their side events and deadlines, and announcing them.
rules.add_perm("meetings.manage_meetings", is_secretariat)
# Announced and closed meetings are public; drafts only for the secretariat.
rules.add_perm("meetings.view_meeting", is_public_meeting | is_secretariat)
