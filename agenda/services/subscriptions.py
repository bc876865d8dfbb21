"""Who follows a meeting's time plan in a calendar program."""

from ..models import CalendarSubscription


def note_calendar_subscriber(user, meeting) -> None:
    """Records that ``user``'s calendar fetched the meeting's time plan feed (once per person and meeting).

    Side effects, in order: one subscription row, unless it exists (a concurrent first fetch is ignored).
    """
    if not CalendarSubscription.objects.filter(user=user, meeting=meeting).exists():
        CalendarSubscription.objects.bulk_create(
            [CalendarSubscription(user=user, meeting=meeting)], ignore_conflicts=True
        )
