"""Every write of registration that is a workflow, grouped by concept."""

from .bulk import BulkOutcome, approve_registrations, reject_registrations
from .changes import can_still_change, change_registration, closed_for_changes_message
from .entities import (
    ImportOutcome,
    confirm_affiliation,
    decline_affiliation,
    import_entities,
    request_affiliation,
    save_entity,
    set_auto_approval,
)
from .registrations import AlreadyDecided, approve_registration, cancel_registration, register, reject_registration
from .reminders import sweep_registrations

__all__ = [
    "AlreadyDecided",
    "BulkOutcome",
    "ImportOutcome",
    "approve_registration",
    "approve_registrations",
    "can_still_change",
    "cancel_registration",
    "change_registration",
    "closed_for_changes_message",
    "confirm_affiliation",
    "decline_affiliation",
    "import_entities",
    "register",
    "reject_registration",
    "reject_registrations",
    "request_affiliation",
    "save_entity",
    "set_auto_approval",
    "sweep_registrations",
]
