"""The PDFs of registration: the list of participants and the visa-support letter (WeasyPrint).

WeasyPrint is imported inside the render function; its URL fetcher serves the portal's own static files and
nothing else, so a document can never make the server fetch a remote or local resource.
"""

from itertools import groupby
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Case, IntegerField, Value, When
from django.template.loader import render_to_string
from django.utils import timezone

from .models import MemberEntity, Registration


def _static_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            origin = urlsplit(settings.SITE_URL)
            if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc) or not parts.path.startswith(
                settings.STATIC_URL
            ):
                raise ValueError(f"Not one of the portal's static files: {url}")
            relative = parts.path.removeprefix(settings.STATIC_URL)
            found = finders.find(relative) if ".." not in relative.split("/") else None
            if not found:
                raise ValueError(f"No such static file: {relative}")
            with open(found, "rb") as handle:
                body = handle.read()
            content_type = "text/css" if found.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher()


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=_static_only_fetcher()).write_pdf()


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
    return render_pdf("registration/pdf/participants.html", context)


def render_visa_letter(registration) -> bytes:
    context = {
        "registration": registration,
        "meeting": registration.meeting,
        "delegate": registration.delegate,
        "entity": registration.entity,
        "today": timezone.localdate(timezone=registration.meeting.zone),
    }
    return render_pdf("registration/pdf/visa_letter.html", context)
