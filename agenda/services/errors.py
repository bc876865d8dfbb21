"""Why a write on an agenda or a time plan was refused: ``sg17portal.errors.PortalError`` for each case."""

from django.utils.translation import gettext as _

from sg17portal.dates import format_datetime
from sg17portal.errors import Conflict, InvalidInput, PortalError


class AgendaError(PortalError):
    """A refused write on an agenda or a time plan; ``message`` is what to show."""


class StaleDraft(AgendaError, Conflict):
    """The draft changed since the form was opened: saving would overwrite what someone else did."""

    def __init__(self, draft):
        self.changed_by = draft.changed_by
        self.changed_at = draft.changed_at
        super().__init__()

    @property
    def message(self) -> str:
        when = format_datetime(self.changed_at) if self.changed_at else "?"
        return _(
            "Not saved: the draft was changed by %(name)s at %(time)s after you opened it. "
            "Reload the page to see their changes; what you entered is kept here."
        ) % {"name": self.changed_by or _("someone"), "time": when}


class InvalidMove(AgendaError, InvalidInput):
    pass


class NothingToPublish(AgendaError, Conflict):
    pass


class SessionOverlap(AgendaError, InvalidInput):
    def __init__(self, message, other):
        self.other = other
        super().__init__(message)
