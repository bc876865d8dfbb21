"""Why a write on an agenda or a time plan was refused. Each carries a message for the person."""

from django.utils.translation import gettext as _

from sg17portal.dates import format_datetime


class AgendaError(Exception):
    """A refused write; ``str(error)`` is the message to show."""


class StaleDraft(AgendaError):
    """The draft changed since the form was opened: saving would overwrite what someone else did."""

    def __init__(self, draft):
        self.changed_by = draft.changed_by
        self.changed_at = draft.changed_at
        super().__init__(self.message())

    def message(self) -> str:
        when = format_datetime(self.changed_at) if self.changed_at else "?"
        return _(
            "Not saved: the draft was changed by %(name)s at %(time)s after you opened it. "
            "Reload the page to see their changes; what you entered is kept here."
        ) % {"name": self.changed_by or _("someone"), "time": when}


class InvalidMove(AgendaError):
    pass


class NothingToPublish(AgendaError):
    pass


class SessionOverlap(AgendaError):
    def __init__(self, message, other):
        self.other = other
        super().__init__(message)
