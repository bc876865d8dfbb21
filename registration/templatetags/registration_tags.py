from dataclasses import dataclass

from django import template

from ..models import Registration
from ..queries import pending_approvals, registration_of
from ..windows import RegistrationWindow, registration_window

register = template.Library()

STATE_BADGES = {
    Registration.State.PENDING: "text-bg-warning",
    Registration.State.APPROVED: "text-bg-success",
    Registration.State.REJECTED: "text-bg-danger",
    Registration.State.CANCELLED: "text-bg-secondary",
    Registration.State.EXPIRED: "text-bg-secondary",
}


@dataclass(frozen=True)
class MeetingPanel:
    registration: Registration | None
    window: RegistrationWindow

    @property
    def is_registered(self) -> bool:
        return self.registration is not None and self.registration.is_active

    @property
    def can_register(self) -> bool:
        return not self.is_registered and self.window.open_to_delegates

    @property
    def shows_join_details(self) -> bool:
        """Only an approved registrant sees how to join."""
        return self.registration is not None and self.registration.state == Registration.State.APPROVED


@register.simple_tag(takes_context=True)
def registration_panel(context, meeting) -> MeetingPanel:
    """The viewer's registration for the meeting and its window: two queries at most."""
    user = context.get("user") or context["request"].user
    return MeetingPanel(registration_of(user, meeting), registration_window(meeting))


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "text-bg-light")


@register.filter
def percent(value: float) -> str:
    return f"{value * 100:.0f} %"


@register.simple_tag(takes_context=True)
def approvals_waiting(context) -> int | None:
    """Registrations waiting for the viewer's decision, or None for someone who decides none (one query)."""
    user = context.get("user") or context["request"].user
    return pending_approvals(user)
