"""Member entities, their focal points and affiliations: the secretariat's and the focal points' writes."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import User
from meetings.models import StudyGroup
from notifications.services import queue_rendered, render_mail

from ..fragments import affiliations_changed
from ..models import Affiliation, MemberEntity
from . import mail
from .registrations import AlreadyDecided

Category = MemberEntity.Category


@transaction.atomic
def save_entity(entity: MemberEntity, *, focal_points: list[User]) -> MemberEntity:
    """Creates or updates an entity with its focal points.

    Side effects, in order: the entity is validated and saved; its focal points become exactly ``focal_points``.
    """
    entity.full_clean()
    entity.save()
    entity.focal_points.set(focal_points)
    return entity


@transaction.atomic
def set_auto_approval(entity: MemberEntity, *, enabled: bool, by) -> MemberEntity:
    """Turns automatic approval of the entity's registrations on or off (TSB Circular 118).

    Side effects, in order: the entity's switch is saved. Registrations already pending stay pending.
    """
    MemberEntity.objects.filter(pk=entity.pk).update(auto_approval=enabled)
    affiliations_changed()
    entity.auto_approval = enabled
    return entity


# --- CSV import ----------------------------------------------------------------------------------

CSV_COLUMNS = ["name", "category", "country", "associate_of", "auto_approval", "focal_points"]
_REQUIRED_COLUMNS = {"name", "category", "country"}
_TRUE = {"1", "yes", "y", "true", "on"}
_FALSE = {"", "0", "no", "n", "false", "off"}


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int


@dataclass(frozen=True)
class _Row:
    line: int
    name: str
    category: str
    country: str
    associate_of: StudyGroup | None
    auto_approval: bool
    focal_points: tuple[str, ...] | None


def _category(value: str) -> str | None:
    wanted = value.strip().casefold()
    for code, label in Category.choices:
        if wanted in (code.casefold(), str(label).casefold()):
            return code
    aliases = {"member state": Category.ADMINISTRATION, "administration": Category.ADMINISTRATION}
    return aliases.get(wanted)


def _country(value: str) -> str | None:
    value = value.strip()
    if len(value) == 2 and value.upper() in countries:
        return value.upper()
    return countries.by_name(value) or None


def _parse(text: str) -> tuple[list[_Row], list[tuple[int, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    headers = {h.strip().lower() for h in reader.fieldnames or []}
    missing = _REQUIRED_COLUMNS - headers
    if missing:
        return [], [(1, _("Line 1: the columns %(columns)s are missing.") % {"columns": ", ".join(sorted(missing))})]
    groups = {g.number: g for g in StudyGroup.objects.all()}
    rows, errors, seen = [], [], {}
    for raw in reader:
        line = reader.line_num
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cells.values()):
            continue
        problems = []
        name = cells.get("name", "")
        if not name:
            problems.append(_("the name is empty"))
        category = _category(cells.get("category", ""))
        if category is None:
            problems.append(_("unknown category %(value)r") % {"value": cells.get("category", "")})
        country = _country(cells.get("country", ""))
        if country is None:
            problems.append(_("unknown country %(value)r") % {"value": cells.get("country", "")})
        group = None
        associate_of = cells.get("associate_of", "").upper().removeprefix("SG")
        if associate_of:
            group = groups.get(int(associate_of)) if associate_of.isdigit() else None
            if group is None:
                problems.append(_("unknown study group %(value)r") % {"value": cells["associate_of"]})
        if category == Category.ASSOCIATE and not associate_of:
            problems.append(_("an Associate needs the study group it is associate of"))
        if category and category != Category.ASSOCIATE and associate_of:
            problems.append(_("only an Associate is associate of a study group"))
        auto = cells.get("auto_approval", "").lower()
        if auto not in _TRUE | _FALSE:
            problems.append(_("auto_approval must be yes or no, not %(value)r") % {"value": auto})
        emails = cells.get("focal_points", "").replace(",", ";").split(";")
        emails = tuple(e.strip().lower() for e in emails if e.strip())
        if name and country:
            key = (name.casefold(), country)
            if key in seen:
                problems.append(_("the same entity as line %(line)d") % {"line": seen[key]})
            seen.setdefault(key, line)
        if problems:
            errors.append((line, _("Line %(line)d: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}))
        else:
            rows.append(_Row(line, name, category, country, group, auto in _TRUE, emails or None))
    return rows, errors


@transaction.atomic
def import_entities(data: bytes) -> ImportOutcome:
    """Loads entities and focal points from a CSV file: all rows, or none if any row is bad.

    Columns: name, category, country (required), associate_of, auto_approval, focal_points (e-mail addresses
    separated by ";", of people who have an account). An entity is matched on name and country and updated;
    a non-empty focal_points cell replaces its focal points.

    Side effects, in order: every row is checked (``ValidationError`` listing each bad row with its line
    number; nothing is written); the entities are created or updated; their focal points set.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    rows, errors = _parse(text)
    wanted = {e for row in rows for e in row.focal_points or ()}
    users = {}
    if wanted:
        users = {
            u.email_lower: u for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=wanted)
        }
    for row in rows:
        unknown = [e for e in row.focal_points or () if e not in users]
        if unknown:
            message = _("Line %(line)d: no account with the e-mail address %(emails)s.")
            errors.append((row.line, message % {"line": row.line, "emails": ", ".join(unknown)}))
    if errors:
        raise ValidationError([message for _line, message in sorted(errors, key=lambda e: e[0])])
    if not rows:
        raise ValidationError(_("The file has no entities."))
    existing = {
        (e.name.casefold(), e.country.code): e
        for e in MemberEntity.objects.filter(_matching(rows)).prefetch_related("focal_points")
    }
    created = updated = 0
    for row in rows:
        entity = existing.get((row.name.casefold(), row.country)) or MemberEntity(name=row.name, country=row.country)
        created, updated = (created + 1, updated) if entity.pk is None else (created, updated + 1)
        entity.category, entity.associate_of, entity.auto_approval = row.category, row.associate_of, row.auto_approval
        entity.full_clean(validate_unique=False)
        entity.save()
        if row.focal_points is not None:
            entity.focal_points.set([users[e] for e in row.focal_points])
    return ImportOutcome(created, updated)


def _matching(rows: list[_Row]) -> Q:
    query = Q(pk__in=[])
    for row in rows:
        query |= Q(name__iexact=row.name, country=row.country)
    return query


# --- Affiliations --------------------------------------------------------------------------------


@transaction.atomic
def request_affiliation(user: User, *, entity: MemberEntity) -> Affiliation:
    """Asks to be recognised as a member of ``entity``.

    Side effects, in order: a pending affiliation (nothing if one is pending or confirmed already; a declined
    one is refused with ``ValidationError``); a mail to each focal point of the entity.
    """
    affiliation, created = Affiliation.objects.get_or_create(user=user, entity=entity)
    if affiliation.state == Affiliation.State.DECLINED:
        raise ValidationError(
            {"entity": _("%(entity)s's focal point declined your affiliation: ask them directly.") % {"entity": entity}}
        )
    if created:
        context = {
            "affiliation": affiliation,
            "person": user,
            "entity": entity,
            "entity_url": mail.absolute(reverse("registration:queue")),
        }
        queue_rendered(
            [
                render_mail(
                    to=person.email,
                    language=person.language,
                    template="registration/mail/affiliation_requested",
                    context={**context, "focal_point": person},
                    dedupe_key=f"affiliation:{affiliation.pk}:requested:{person.pk}",
                )
                for person in mail.focal_points_by_entity([entity.pk]).get(entity.pk, [])
            ]
        )
    return affiliation


def _decide_affiliation(affiliation: Affiliation, *, to_state: str, by, reason: str) -> Affiliation:
    now = timezone.now()
    changed = Affiliation.objects.filter(pk=affiliation.pk, state=Affiliation.State.PENDING).update(
        state=to_state, decided_by=by, decided_at=now, reason=reason
    )
    affiliations_changed()
    current = Affiliation.objects.select_related("user", "entity", "decided_by").get(pk=affiliation.pk)
    if not changed:
        raise AlreadyDecided(current)
    event = "confirmed" if to_state == Affiliation.State.APPROVED else "declined"
    queue_rendered(
        [
            render_mail(
                to=current.user.email,
                language=current.user.language,
                template=f"registration/mail/affiliation_{event}",
                context={"affiliation": current, "entity": current.entity, "person": current.user},
                dedupe_key=f"affiliation:{current.pk}:{event}",
            )
        ]
    )
    return current


@transaction.atomic
def confirm_affiliation(affiliation: Affiliation, *, by) -> Affiliation:
    """Confirms a pending affiliation: the person becomes a member of the entity.

    Side effects, in order: the state becomes confirmed if it still was pending (else ``AlreadyDecided``);
    a mail to the person.
    """
    return _decide_affiliation(affiliation, to_state=Affiliation.State.APPROVED, by=by, reason="")


@transaction.atomic
def decline_affiliation(affiliation: Affiliation, *, by, reason: str = "") -> Affiliation:
    """Declines a pending affiliation.

    Side effects, in order: the state becomes declined if it still was pending (else ``AlreadyDecided``);
    a mail to the person with the reason.
    """
    return _decide_affiliation(affiliation, to_state=Affiliation.State.DECLINED, by=by, reason=reason.strip())
