"""Every write on agendas and time plans. Each function is one transaction; its docstring lists its side effects."""

from .errors import AgendaError, InvalidMove, NothingToPublish, SessionOverlap, StaleDraft
from .items import (
    add_agenda_item,
    delete_agenda_item,
    import_outline,
    move_agenda_item,
    shift_agenda_item,
    start_agenda_from_letter,
    update_agenda_item,
)
from .publishing import publish_agenda, publish_time_plan, queue_publication_notices
from .sessions import add_session, delete_session, describe_session, update_session

__all__ = [
    "AgendaError",
    "InvalidMove",
    "NothingToPublish",
    "SessionOverlap",
    "StaleDraft",
    "add_agenda_item",
    "add_session",
    "delete_agenda_item",
    "delete_session",
    "describe_session",
    "import_outline",
    "move_agenda_item",
    "publish_agenda",
    "publish_time_plan",
    "queue_publication_notices",
    "shift_agenda_item",
    "start_agenda_from_letter",
    "update_agenda_item",
    "update_session",
]
