"""Reads of agendas and time plans. Meetings are reached through `meetings.queries.access_meeting`."""

from django.db.models import F, Prefetch
from django.http import Http404

from accounts.models import User
from documents.models import Document
from meetings.models import Question
from registration.fragments import NAME as REGISTRATIONS
from sg17portal import pagecache

from .models import AgendaItem, AgendaVersion, CalendarSubscription, Session, TimePlanVersion
from .numbering import NumberedItem, flatten, number_items

# --- Versions ------------------------------------------------------------------------------------


def _versions(model):
    versions = model.objects.all()
    if model is AgendaVersion:
        versions = versions.select_related("td_revision__document__study_group")
    return versions


def draft_of(model, meeting) -> AgendaVersion | TimePlanVersion | None:
    return model.objects.filter(meeting=meeting, number__isnull=True).select_related("changed_by").first()


def published_versions(model, meeting):
    return _versions(model).filter(meeting=meeting, number__isnull=False).order_by("number")


def current_version(model, meeting):
    """The latest published version, or None."""
    return _versions(model).filter(meeting=meeting, number__isnull=False).order_by("-number").first()


# How long a meeting's versions stay kept at most; a change of an agenda or time plan replaces them before that.
VERSIONS_SECONDS = 3600


def _kept_versions(kind: str, model, meeting, read, *, people: bool = False):
    """``read()`` (a list of ``model``'s versions of ``meeting``), kept under the agendas' version, which every
    change of an agenda or a time plan replaces (``sg17portal.pagecache``); ``people=True`` when the names of who
    changed them are shown too (a person's change replaces the registrations' version)."""
    versions = [pagecache.AGENDA_VERSION_KEY] + ([pagecache.fragments_key(REGISTRATIONS)] if people else [])
    return pagecache.kept(f"agenda:{kind}:{model._meta.model_name}:{meeting.pk}", versions, read, VERSIONS_SECONDS)


def draft_and_current(model, meeting):
    """The draft (an empty, unsaved one where nobody started it) and the latest published version (or None), in one
    query, for the draft's pages (they show who changed the draft last and the published version's number, not
    its TD): a meeting has at most one draft (a constraint), the only version without a number, so sorted with
    numberless first it comes first and the latest published version right after it. Kept between requests."""
    newest = model.objects.filter(meeting=meeting).select_related("changed_by")
    rows = _kept_versions(
        "newest", model, meeting, lambda: list(newest.order_by(F("number").desc(nulls_first=True))[:2]), people=True
    )
    draft = next((version for version in rows if version.number is None), None)
    current = next((version for version in rows if version.number is not None), None)
    return draft or model(meeting=meeting), current


def published_and_current(model, meeting):
    """The published versions, in order, and the latest of them (or None), in one query kept between requests."""
    versions = _kept_versions("published", model, meeting, lambda: list(published_versions(model, meeting)))
    return versions, (versions[-1] if versions else None)


def version_or_404(model, meeting, number: int | None):
    """A published version by number, or the draft when ``number`` is None."""
    version = _versions(model).filter(meeting=meeting, number=number).select_related("changed_by").first()
    if number is None and version is None:
        return model(meeting=meeting)  # an agenda nobody started yet: an empty, unsaved draft
    if version is None:
        raise Http404
    return version


def agenda_td(meeting):
    """The meeting's agenda TD (the document of the latest version issued as a TD), or None."""
    issued = (
        AgendaVersion.objects.filter(meeting=meeting, td_revision__isnull=False)
        .select_related("td_revision__document__study_group")
        .order_by("-number")
        .first()
    )
    return issued.td_revision.document if issued else None


# --- Agenda --------------------------------------------------------------------------------------

_QUESTIONS = Prefetch("questions", queryset=Question.objects.select_related("study_group"))
_DOCUMENTS = Prefetch("documents", queryset=Document.objects.select_related("study_group"))


def agenda_items(version: AgendaVersion):
    if version.pk is None:
        return AgendaItem.objects.none()
    return version.items.prefetch_related(_QUESTIONS, _DOCUMENTS)


def agenda_tree(version: AgendaVersion) -> list[NumberedItem]:
    """The numbered tree of a version, read in a fixed number of queries."""
    return number_items(agenda_items(version))


def agenda_labels(meeting, *, include_draft: bool) -> dict:
    """uid → numbered item of the agenda the viewer sees: the draft if allowed and present, else the current one."""
    version = None
    if include_draft:
        version = draft_of(AgendaVersion, meeting)
    if version is None:
        version = current_version(AgendaVersion, meeting)
    if version is None:
        return {}
    items = version.items.only("id", "version", "uid", "parent", "position", "title")
    return {node.uid: node for node in flatten(number_items(items))}


# --- Time plan -----------------------------------------------------------------------------------


def sessions_of(version: TimePlanVersion):
    if version.pk is None:
        return Session.objects.none()
    return version.sessions.prefetch_related(_QUESTIONS).order_by("starts_at", "room", "title")


def calendar_subscribers(meeting):
    """The active people whose calendar program fetched the meeting's time plan feed."""
    return User.objects.filter(
        is_active=True, pk__in=CalendarSubscription.objects.filter(meeting=meeting).values("user")
    ).order_by("pk")
