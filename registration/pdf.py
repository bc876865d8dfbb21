"""The PDFs of registration: the list of participants and the visa-support letter (WeasyPrint).

Rendered by ``meetings.pdf.render_template_pdf``, whose URL fetcher serves the portal's own static files and
nothing else.
"""

from itertools import groupby

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from meetings.pdf import render_template_pdf

from .models import MemberEntity, Registration


def _category_order():
    return Case(
        *(When(entity__category=code, then=Value(i)) for i, code in enumerate(MemberEntity.Category.values)),
        output_field=IntegerField(),
    )


def participants(meeting) -> list[tuple[str, list[tuple[MemberEntity, list[Registration]]]]]:
    """Approved registrations grouped as ITU lists them: by category, then entity, then family name."""
    registrations = (
        meeting.registrations.filter(state=Registration.State.APPROVED)
        .select_related("delegate", "entity")
        .annotate(category_order=_category_order())
        .order_by("category_order", "entity__name", "entity_id", "delegate__family_name", "delegate__given_name")
    )
    labels = dict(MemberEntity.Category.choices)
    grouped = []
    for category, in_category in groupby(registrations, key=lambda r: r.entity.category):
        entities = [(entity, list(people)) for entity, people in groupby(in_category, key=lambda r: r.entity)]
        grouped.append((labels[category], entities))
    return grouped


def render_participants(meeting) -> bytes:
    groups = participants(meeting)
    context = {
        "meeting": meeting,
        "groups": groups,
        "total": sum(len(people) for _label, entities in groups for _entity, people in entities),
        "printed_at": timezone.now(),
    }
    return render_template_pdf("registration/pdf/participants.html", context)


def render_visa_letter(registration) -> bytes:
    context = {
        "registration": registration,
        "meeting": registration.meeting,
        "delegate": registration.delegate,
        "entity": registration.entity,
        "today": timezone.localdate(timezone=registration.meeting.zone),
    }
    return render_template_pdf("registration/pdf/visa_letter.html", context)
