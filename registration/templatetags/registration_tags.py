from dataclasses import dataclass

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sg17portal.addresses import address_of
from sg17portal.dates import format_date, format_datetime

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


# --- The rows of the long lists ---------------------------------------------------------------------------------
# The focal point's queue and the secretariat's list show 50 and 100 rows. Written in the template language, each
# row cost a quarter of a millisecond (two dozen variables looked up, three addresses reversed, nine words
# translated, for every row); written here, as Django's admin writes its change list, the words, the addresses and
# the token are made once per page (sg17portal.addresses, Django's own csrf_token node) and each row is one
# format with its values escaped.


QUEUE_ROW = """<tr data-registration="{pk}">
    <td><input class="form-check-input queue-select" type="checkbox" name="registration" value="{pk}" \
form="bulk-form" aria-label="{select}"></td>
    <td><a href="{detail}">{delegate}</a><br><span class="small text-body-secondary">{email}</span></td>
    <td>{entity}</td>
    <td>{meeting}<br><span class="small text-body-secondary">{facts}</span>{requests}</td>
    <td>{requested}</td>
    <td><div class="d-flex flex-wrap gap-2">
      <form method="post" action="{approve}">{csrf}<input type="hidden" name="next" value="{next}">
        <button class="btn btn-success btn-sm" type="submit">{approve_label}</button></form>
      <form method="post" action="{reject}" class="d-flex gap-1">{csrf}
        <input type="hidden" name="next" value="{next}">
        <label class="form-label small mb-0 align-self-center" for="reason-{pk}">{reason_label}</label>
        <input class="form-control form-control-sm" id="reason-{pk}" name="reason" required>
        <button class="btn btn-outline-danger btn-sm" type="submit">{reject_label}</button></form>
    </div></td>
  </tr>
"""


@register.simple_tag(takes_context=True)
def queue_rows(context, registrations) -> SafeString:
    """The rows of the focal point's queue: the delegate, entity and meeting of each registration, with a form to
    approve it and one to reject it with a reason (the delegate, the entity and the meeting selected with it)."""
    request = context["request"]
    page = {
        "csrf": CsrfTokenNode().render(context),
        "next": request.get_full_path(),
        "approve_label": _("Approve"),
        "reject_label": _("Reject"),
        "reason_label": _("Reason to reject"),
    }
    detail, approve, reject = (address_of(f"registration:{n}") for n in ("detail", "approve", "reject"))
    head, late = _("head of delegation"), _("late")
    fellowship = format_html(
        '<br><span class="badge text-bg-info request-fellowship">{}</span>', _("fellowship requested")
    )
    visa = format_html('<br><span class="badge text-bg-info request-visa">{}</span>', _("visa support requested"))

    def row(registration) -> dict:
        pk, delegate, meeting = registration.pk, registration.delegate, registration.meeting
        facts = [format_date(meeting.first_day), registration.get_participation_display()]
        if registration.head_of_delegation:
            facts.append(head)
        if registration.is_late:
            facts.append(late)
        return {
            "pk": pk,
            "select": _("Select %(person)s") % {"person": delegate},
            "detail": detail(pk),
            "delegate": delegate,
            "email": delegate.email,
            "entity": registration.entity,
            "meeting": meeting,
            "facts": " · ".join(str(fact) for fact in facts),
            "requests": format_html(
                "{}{}",
                fellowship if registration.fellowship_requested else "",
                visa if registration.visa_support_requested else "",
            ),
            "requested": format_datetime(registration.created_at),
            "approve": approve(pk),
            "reject": reject(pk),
            **page,
        }

    return format_html_join("", QUEUE_ROW, (row(registration) for registration in registrations))


LIST_ROW = """<tr>
    <td><a href="{detail}">{delegate}</a>{head}</td>
    <td>{entity}</td>
    <td>{country}</td>
    <td>{participation}</td>
    <td class="small">{requests}</td>
    <td><span class="badge {badge}">{state}</span>{late}</td>
  </tr>
"""


@register.simple_tag
def registration_list_rows(registrations) -> SafeString:
    """The rows of the secretariat's list of a meeting's registrations: delegate, entity, country, participation,
    what the delegate asks for, and the state."""
    detail = address_of("registration:detail")
    head = format_html(' <span class="badge text-bg-info">{}</span>', _("HoD"))
    late = format_html(' <span class="badge text-bg-light">{}</span>', _("late"))
    fellowship, visa = _("fellowship"), _("visa")
    return format_html_join(
        "",
        LIST_ROW,
        (
            {
                "detail": detail(registration.pk),
                "delegate": registration.delegate,
                "head": head if registration.head_of_delegation else "",
                "entity": registration.entity,
                "country": registration.entity.country.code,
                "participation": registration.get_participation_display(),
                "requests": (f"{fellowship} " if registration.fellowship_requested else "")
                + (visa if registration.visa_support_requested else ""),
                "badge": state_badge(registration.state),
                "state": registration.get_state_display(),
                "late": late if registration.is_late else "",
            }
            for registration in registrations
        ),
    )
