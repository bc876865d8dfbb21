from django import template
from django.utils import timezone

from .. import queries

register = template.Library()


@register.simple_tag
def documents_meeting_panel(meeting, user):
    """What the meeting page shows of its documents: rights, counts, the contributions deadline."""
    can_read = user.has_perm("documents.view_meeting_documents")
    deadline = queries.contributions_deadline(meeting)
    return {
        "can_read": can_read,
        # Posting needs reading (a member or the secretariat): no second membership query for those who cannot.
        "can_post_now": can_read and user.has_perm("documents.post_contribution_now", meeting),
        "can_post_td": user.has_perm("documents.post_td"),
        "can_send_td_draft": user.has_perm("documents.submit_td_draft", meeting),
        "counts": queries.meeting_counts(meeting) if can_read else {},
        "deadline": deadline,
        "deadline_open": deadline is None or deadline.is_open(timezone.now()),
        "subscribed": queries.is_subscribed(user, meeting),
    }
