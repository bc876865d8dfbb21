"""The mails of registration: who gets which template, under which dedupe key.

Every mail goes through the outbox (``notifications``) in the caller's transaction. Bulk work renders all
messages first and writes them in one statement.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from meetings.models import Meeting
from notifications.models import OutgoingMail
from notifications.services import Mail, queue_rendered, render_mail

from ..models import MemberEntity, Registration


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def calendar_url(meeting: Meeting) -> str:
    """The meeting's calendar file if the meetings app offers one, else the meeting page."""
    try:
        return absolute(reverse("meetings:calendar", kwargs={"pk": meeting.pk}))
    except NoReverseMatch:
        return absolute(meeting.get_absolute_url())


def meeting_links(meeting: Meeting) -> dict:
    return {"meeting_url": absolute(meeting.get_absolute_url()), "calendar_url": calendar_url(meeting)}


def registration_context(registration: Registration, links: dict | None = None, **extra) -> dict:
    meeting = registration.meeting
    return {
        "registration": registration,
        "meeting": meeting,
        "delegate": registration.delegate,
        "entity": registration.entity,
        "registration_url": absolute(reverse("registration:detail", kwargs={"pk": registration.pk})),
        **(links or meeting_links(meeting)),
        **extra,
    }


def registration_mail(registration: Registration, event: str, *, links: dict | None = None, **extra) -> Mail:
    """One mail to the registrant about ``event`` (received, approved, rejected, cancelled, expired, reminder)."""
    return render_mail(
        to=registration.delegate.email,
        language=registration.delegate.language,
        template=f"registration/mail/{event}",
        context=registration_context(registration, links, **extra),
        dedupe_key=f"registration:{registration.pk}:{event}",
    )


def focal_points_by_entity(entity_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active focal points of each entity, in one query."""
    through = MemberEntity.focal_points.through
    rows = through.objects.filter(memberentity_id__in=set(entity_ids), user__is_active=True).select_related("user")
    people = defaultdict(list)
    for row in rows.order_by("user__email"):
        people[row.memberentity_id].append(row.user)
    return people


def new_request_mails(registration: Registration, *, needs_affiliation: bool) -> list[Mail]:
    """The focal points of the registration's entity hear of a new request at once."""
    context = registration_context(
        registration, needs_affiliation=needs_affiliation, queue_url=absolute(reverse("registration:queue"))
    )
    return [
        render_mail(
            to=person.email,
            language=person.language,
            template="registration/mail/new_request",
            context={**context, "focal_point": person},
            dedupe_key=f"registration:{registration.pk}:new_request:{person.pk}",
        )
        for person in focal_points_by_entity([registration.entity_id]).get(registration.entity_id, [])
    ]


@dataclass(frozen=True)
class DueMail:
    """A mail the sweep may owe; rendered only if its key has not been queued before."""

    dedupe_key: str
    recipient: str
    template: str
    context: Callable[[], dict]


def queue_due(mails: list[DueMail]) -> int:
    """Queues the mails whose dedupe key is new; renders nothing for the others. Returns how many were queued."""
    if not mails:
        return 0
    known = set(
        OutgoingMail.objects.filter(dedupe_key__in=[m.dedupe_key for m in mails]).values_list("dedupe_key", flat=True)
    )
    rendered = [
        render_mail(to=m.recipient, template=m.template, context=m.context(), dedupe_key=m.dedupe_key)
        for m in mails
        if m.dedupe_key not in known
    ]
    return queue_rendered(rendered)
