"""Reads used across apps, and the ones that authorize.

The ``access_*`` functions fetch and authorize in one call: an object the person may not see is a 404, an
action they may not take on what they can see is a 403.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.rules import GROUPS, is_secretariat
from meetings.models import Meeting
from meetings.queries import meeting_zone_today
from sg17portal.pagecache import kept_per_person
from sg17portal.request_cache import per_request

from . import fragments
from .models import Affiliation, MemberEntity, Registration


def member_entities(user) -> QuerySet[MemberEntity]:
    """The entities of which ``user`` is a confirmed member (an approved affiliation)."""
    if not user.is_authenticated:
        return MemberEntity.objects.none()
    return MemberEntity.objects.filter(affiliations__user=user, affiliations__state=Affiliation.State.APPROVED)


@per_request
@kept_per_person(fragments.AFFILIATIONS)
def member_entity_ids(user) -> frozenset[int]:
    """The ids of ``member_entities(user)``: what a check of one entity asks (may they post or revise for it).
    Kept for the request and between requests, as the person's rights are (``registration.fragments``)."""
    if not user.is_authenticated:
        return frozenset()
    approved = Affiliation.objects.filter(user=user, state=Affiliation.State.APPROVED)
    return frozenset(approved.values_list("entity_id", flat=True))


@per_request
@kept_per_person(fragments.AFFILIATIONS)
def is_member(user) -> bool:
    """A *member* is an authenticated person with at least one approved affiliation. Kept for the request: a page
    asks it for each of its buttons."""
    return user.is_authenticated and Affiliation.objects.filter(user=user, state=Affiliation.State.APPROVED).exists()


@per_request
@kept_per_person(fragments.AFFILIATIONS)
def affiliation_states(user) -> dict[int, str]:
    """The state of each of the person's affiliations, by entity id: how the registration form sorts the entities
    for them (their own first). Kept as their rights are."""
    if not user.is_authenticated:
        return {}
    return dict(Affiliation.objects.filter(user=user).values_list("entity_id", "state"))


def focal_point_entity_ids(user) -> QuerySet:
    """The ids of the entities ``user`` is a focal point of, as a subquery."""
    return MemberEntity.focal_points.through.objects.filter(user_id=user.pk).values("memberentity_id")


@per_request
@kept_per_person(fragments.AFFILIATIONS)
def entities_of_focal_point(user) -> frozenset[int]:
    """The ids of the entities ``user`` is a focal point of, read once per request (the predicates ask it for
    every row and button of a page)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(focal_point_entity_ids(user).values_list("memberentity_id", flat=True))


def entities_for_focal_point(user) -> QuerySet[MemberEntity]:
    """The entities whose delegation ``user`` sees: all for the secretariat, else those they are focal point of."""
    if not user.is_authenticated:
        return MemberEntity.objects.none()
    if is_secretariat(user):
        return MemberEntity.objects.all()
    return MemberEntity.objects.filter(pk__in=focal_point_entity_ids(user))


def registrations_visible_to(user) -> QuerySet[Registration]:
    """Own registrations, those of the entities one is focal point of, and all of them for the secretariat."""
    if not user.is_authenticated:
        return Registration.objects.none()
    if is_secretariat(user):
        return Registration.objects.all()
    return Registration.objects.filter(Q(delegate=user) | Q(entity_id__in=focal_point_entity_ids(user)))


def registrations_decidable_by(user) -> QuerySet[Registration]:
    """The registrations ``user`` may approve or reject, whatever their state."""
    if not user.is_authenticated:
        return Registration.objects.none()
    if is_secretariat(user):
        return Registration.objects.all()
    return Registration.objects.filter(entity_id__in=focal_point_entity_ids(user))


def registrations_for_focal_point(user) -> QuerySet[Registration]:
    """The approval queue: pending registrations of one's own entities, across meetings, oldest first."""
    return (
        registrations_decidable_by(user)
        .filter(state=Registration.State.PENDING)
        .select_related("meeting__study_group", "delegate", "entity")
        .order_by("meeting__first_day", "created_at", "pk")
    )


def registrations_in_order(ids: list[int]) -> list[Registration]:
    """The registrations ``ids`` (already authorized), with what the queue shows of them, in the order of ``ids``.

    The queue reads a page's ids (with the count of all) first and its rows after: sorted with their delegate,
    entity and meeting joined, 500 pending rows cost PostgreSQL 5 ms; sorted narrow, then 50 read by id, 2 ms."""
    rows = Registration.objects.filter(pk__in=ids).select_related("meeting__study_group", "delegate", "entity")
    by_id = {registration.pk: registration for registration in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def affiliations_for_focal_point(user) -> QuerySet[Affiliation]:
    """Pending affiliation requests of one's own entities (all of them for the secretariat)."""
    affiliations = Affiliation.objects.filter(state=Affiliation.State.PENDING).select_related("user", "entity")
    if not user.is_authenticated:
        return affiliations.none()
    if not is_secretariat(user):
        affiliations = affiliations.filter(entity_id__in=focal_point_entity_ids(user))
    return affiliations.order_by("requested_at", "pk")


def is_approved_registrant(user, meeting: Meeting) -> bool:
    """Whether ``user`` holds an approved registration for ``meeting``; read once per request and meeting."""
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_approved_registrant_cache", {})
    if meeting.pk not in cache:
        cache[meeting.pk] = Registration.objects.filter(
            meeting=meeting, delegate=user, state=Registration.State.APPROVED
        ).exists()
    return cache[meeting.pk]


@kept_per_person(fragments.AFFILIATIONS, own=(fragments.NAME,))
def registration_of(user, meeting: Meeting) -> Registration | None:
    """The person's registration for a meeting: the live one, else the latest (kept per person and meeting, see
    ``registration.fragments``): under the person's own version of the registrations, which others' registrations
    and decisions leave alone, and that of the entities they are registered for."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(meeting=meeting, delegate=user)
        .select_related("entity")
        .order_by(
            # pending and approved sort before the rest
            Case(
                When(state__in=[Registration.State.PENDING, Registration.State.APPROVED], then=Value(0)),
                default=Value(1),
            ),
            "-created_at",
        )
        .first()
    )


# Meetings that take or took registrations: announced and closed ones. A draft has none, whoever asks. Registration
# pages pass them to ``meetings.queries.access_meeting`` as its ``states``, so a draft meeting is a 404 there even for
# those who may read it elsewhere.
STATES_WITH_REGISTRATIONS = (Meeting.State.ANNOUNCED, Meeting.State.CLOSED)
# Announced meetings: the ones a registration can still be added to (the deadlines decide the rest).
STATES_TAKING_REGISTRATIONS = (Meeting.State.ANNOUNCED,)


def meetings_taking_registrations() -> QuerySet[Meeting]:
    """Meetings a registration can still be added to (``STATES_TAKING_REGISTRATIONS``)."""
    return Meeting.objects.filter(state__in=STATES_TAKING_REGISTRATIONS)


def open_meetings(now: datetime.datetime | None = None) -> list[Meeting]:
    """Announced meetings that have not ended yet, soonest first: each ends with its last day in its own zone."""
    now = now or timezone.now()
    # No zone is a whole day from UTC: the database narrows the list, each meeting's own zone decides.
    since = now.astimezone(datetime.UTC).date() - datetime.timedelta(days=1)
    candidates = (
        meetings_taking_registrations().filter(last_day__gte=since).select_related("study_group").order_by("first_day")
    )
    return [m for m in candidates if meeting_zone_today(m, now) <= m.last_day]


def delegation_counts(registrations: QuerySet[Registration]) -> dict:
    """Counts by state of a set of registrations, every state present (zero when none)."""
    counts = dict.fromkeys(Registration.State.values, 0)
    for row in registrations.order_by().values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    return counts


# --- Access: fetch and authorize in one call -------------------------------------------------


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def access_registration(user, pk, perm: str = "registration.view_registration") -> Registration:
    """The registration ``pk`` if ``user`` may see it (else 404) and has ``perm`` on it (else 403)."""
    registration = (
        registrations_visible_to(user)
        .select_related("meeting__study_group", "delegate", "entity", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise Http404
    _require(user, perm, registration)
    return registration


def access_entity(user, pk, perm: str = "registration.view_entity") -> MemberEntity:
    """The entity ``pk`` if ``user`` is its focal point or secretariat (else 404) and has ``perm`` (else 403)."""
    entity = entities_for_focal_point(user).filter(pk=pk).first()
    if entity is None:
        raise Http404
    _require(user, perm, entity)
    return entity


def access_affiliation(user, pk, perm: str = "registration.decide_affiliation") -> Affiliation:
    """An affiliation: visible to its person, its entity's focal points and the secretariat."""
    if not user.is_authenticated:
        raise Http404
    affiliations = Affiliation.objects.select_related("user", "entity")
    if not is_secretariat(user):
        affiliations = affiliations.filter(Q(user=user) | Q(entity_id__in=focal_point_entity_ids(user)))
    affiliation = affiliations.filter(pk=pk).first()
    if affiliation is None:
        raise Http404
    _require(user, perm, affiliation)
    return affiliation


def people_to_tell_of_meeting_changes(meeting: Meeting) -> QuerySet:
    """The delegates with a live (pending or approved) registration for ``meeting``: an addendum concerns them."""
    live = [Registration.State.PENDING, Registration.State.APPROVED]
    return (
        User.objects.filter(is_active=True, registrations__meeting=meeting, registrations__state__in=live)
        .distinct()
        .order_by("pk")
    )


# --- What needs the person's action (the home page, the menu) ---------------------------------------------


@per_request
def pending_approvals(user) -> int | None:
    """How many registrations wait for ``user``'s decision: None for someone who decides none (no focal point,
    not the secretariat), so that the menu shows no "Approvals" entry. Kept for the request.

    Who decides is known from answers kept per person under the groups' and affiliations' versions, which
    registrations leave alone: a delegate's menu is not computed again for every registration and decision made by
    others (the first seconds of a deadline crunch make a hundred). The count, for those who decide, is kept under
    the registrations' version."""
    if not user.is_authenticated:
        return None
    if not is_secretariat(user) and not entities_of_focal_point(user):  # both kept for the request
        return None
    return _pending_count(user)


@kept_per_person(fragments.NAME, GROUPS)
def _pending_count(user) -> int:
    if is_secretariat(user):
        return Registration.objects.filter(state=Registration.State.PENDING).count()
    return Registration.objects.filter(
        entity_id__in=entities_of_focal_point(user), state=Registration.State.PENDING
    ).count()


def pending_by_meeting(user) -> list[dict]:
    """The focal point's pending registrations counted per meeting, soonest meeting first, with how many ask for a
    fellowship or visa support: [{"meeting": …, "count": …, "fellowships": …, "visas": …}]."""
    rows = (
        registrations_decidable_by(user)
        .filter(state=Registration.State.PENDING)
        .values("meeting")
        .annotate(
            count=Count("pk"),
            fellowships=Count("pk", filter=Q(fellowship_requested=True)),
            visas=Count("pk", filter=Q(visa_support_requested=True)),
        )
        .order_by()
    )
    counts = {row["meeting"]: row for row in rows}
    meetings = Meeting.objects.filter(pk__in=counts).select_related("study_group").order_by("first_day", "pk")
    return [{**counts[meeting.pk], "meeting": meeting} for meeting in meetings]


def affiliations_of(user) -> list[Affiliation]:
    """The person's affiliations, whatever their state, newest first."""
    if not user.is_authenticated:
        return []
    return list(Affiliation.objects.filter(user=user).select_related("entity").order_by("-requested_at", "-pk"))


def live_registrations_of(user, *, now: datetime.datetime | None = None) -> list[Registration]:
    """The person's registrations for meetings not over yet, soonest first, with their meeting's deadlines."""
    if not user.is_authenticated:
        return []
    return list(
        Registration.objects.filter(delegate=user, meeting__last_day__gte=(now or timezone.now()).date())
        .exclude(state=Registration.State.EXPIRED)
        .select_related("meeting__study_group", "entity")
        .order_by("meeting__first_day", "-created_at")
    )
