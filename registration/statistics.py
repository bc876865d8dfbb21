"""Counts over a meeting's registrations: by state, category and country, and the share of women.

Delegations count the live registrations (pending or approved): the people expected at the meeting.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django_countries import countries

from accounts.models import User

from .models import MemberEntity, Registration

LIVE = (Registration.State.PENDING, Registration.State.APPROVED)


@dataclass(frozen=True)
class Delegation:
    entity_id: int
    name: str
    category: str
    total: int
    women: int

    @property
    def women_share(self) -> float:
        return self.women / self.total if self.total else 0.0


@dataclass(frozen=True)
class MeetingStatistics:
    by_state: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_country: list[tuple[str, int]]
    delegations: list[Delegation]

    @property
    def total(self) -> int:
        return sum(d.total for d in self.delegations)

    @property
    def women(self) -> int:
        return sum(d.women for d in self.delegations)

    @property
    def women_share(self) -> float:
        return self.women / self.total if self.total else 0.0


def meeting_statistics(
    registrations: QuerySet[Registration], *, all_states: QuerySet[Registration]
) -> MeetingStatistics:
    """Two grouped queries. ``all_states`` is the same selection without its state filter, for the state counts;
    the categories and countries are summed from the delegations (an entity has one category and one country)."""
    states = dict(Registration.State.choices)
    state_counts = dict(all_states.order_by().values_list("state").annotate(n=Count("pk")))
    by_state = [(states[s], state_counts.get(s, 0)) for s in Registration.State.values]

    rows = (
        registrations.filter(state__in=LIVE)
        .values("entity_id", "entity__name", "entity__category", "entity__country")
        .annotate(total=Count("pk"), women=Count("pk", filter=Q(delegate__gender=User.Gender.FEMALE)))
        .order_by("entity__name", "entity_id")
    )
    delegations, category_counts, country_counts = [], Counter(), Counter()
    for r in rows:
        delegations.append(Delegation(r["entity_id"], r["entity__name"], r["entity__category"], r["total"], r["women"]))
        category_counts[r["entity__category"]] += r["total"]
        country_counts[r["entity__country"]] += r["total"]
    categories = dict(MemberEntity.Category.choices)
    by_category = [(categories[c], category_counts[c]) for c in MemberEntity.Category.values if c in category_counts]
    by_country = sorted(((countries.name(code), n) for code, n in country_counts.items()), key=lambda x: (-x[1], x[0]))
    return MeetingStatistics(by_state, by_category, by_country, delegations)
