"""When a meeting takes registrations, fellowship and visa-support requests.

Each window runs until the end of its deadline's day in the meeting's time zone (``KeyDeadline.closes_at``).
A deadline the secretariat has not stored yet falls back to the computed one, so a meeting is never open
without an end.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from meetings import deadlines
from meetings.models import Meeting


@dataclass(frozen=True)
class Deadline:
    day: datetime.date
    closes_at: datetime.datetime


def _deadlines_of(meeting: Meeting) -> dict[str, Deadline]:
    computed = deadlines.key_deadlines(meeting.first_day, meeting.format)
    days = dict(computed)
    for row in meeting.deadlines.all():  # the prefetched rows when the caller loaded them
        days[row.kind] = row.day
    # A virtual meeting has neither fellowships nor visa support, whatever is stored.
    if meeting.is_virtual:
        days.pop(deadlines.FELLOWSHIP, None)
        days.pop(deadlines.VISA, None)
    return {kind: Deadline(day, deadlines.end_of_day(day, meeting.time_zone)) for kind, day in days.items()}


@dataclass(frozen=True)
class RegistrationWindow:
    """What a meeting accepts at ``now``; computed once per request from one query."""

    meeting: Meeting
    now: datetime.datetime

    @cached_property
    def _deadlines(self) -> dict[str, Deadline]:
        return _deadlines_of(self.meeting)

    @property
    def registration(self) -> Deadline:
        return self._deadlines[deadlines.REGISTRATION]

    @property
    def fellowship(self) -> Deadline | None:
        return self._deadlines.get(deadlines.FELLOWSHIP)

    @property
    def visa(self) -> Deadline | None:
        return self._deadlines.get(deadlines.VISA)

    @property
    def meeting_ends_at(self) -> datetime.datetime:
        return deadlines.end_of_day(self.meeting.last_day, self.meeting.time_zone)

    @property
    def is_announced(self) -> bool:
        return self.meeting.state == Meeting.State.ANNOUNCED

    @property
    def on_time(self) -> bool:
        return self.now < self.registration.closes_at

    @property
    def open_to_delegates(self) -> bool:
        """Delegates may register: before the deadline, or late while the secretariat allows it."""
        if not self.is_announced:
            return False
        if self.on_time:
            return True
        return self.meeting.late_registration_allowed and self.now < self.meeting_ends_at

    @property
    def fellowship_open(self) -> bool:
        return self.fellowship is not None and self.now < self.fellowship.closes_at

    @property
    def visa_open(self) -> bool:
        return self.visa is not None and self.now < self.visa.closes_at


def registration_window(meeting: Meeting, *, now: datetime.datetime | None = None) -> RegistrationWindow:
    return RegistrationWindow(meeting, now or timezone.now())
