"""Who may read and edit agendas and time plans.

- Members (an approved affiliation) read the published versions of a public meeting.
- The secretariat edits drafts and publishes them.
- The chair and vice-chairs of the meeting's study group read drafts too (``meetings.rules.is_chair``).
"""

import rules

from accounts.rules import is_secretariat
from meetings.rules import is_chair
from registration.rules import is_member

can_read_drafts = is_secretariat | is_chair
can_read_published = can_read_drafts | is_member

rules.add_perm("agenda.view_published", can_read_published)
rules.add_perm("agenda.view_draft", can_read_drafts)
rules.add_perm("agenda.edit", is_secretariat)
