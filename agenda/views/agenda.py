"""Agenda pages: the published versions for everyone, the draft and its editor for the secretariat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.queries import access_meeting
from sg17portal import errors, pagecache
from sg17portal.pagecache import public_page

from .. import queries, services
from ..diff import diff_agendas
from ..forms import (
    AddAgendaItemForm,
    AgendaItemForm,
    CompareForm,
    DraftForm,
    MoveForm,
    OutlineForm,
    PublishAgendaForm,
    ShiftForm,
)
from ..models import AgendaItem, AgendaVersion
from ..numbering import flatten


def _draft_url(meeting, item=None):
    url = reverse("agenda:agenda_draft", kwargs={"meeting_pk": meeting.pk})
    return redirect(f"{url}#item-{item.pk}" if item else url)


def _previous_changes(meeting, version, tree):
    """What changed since the version before ``version`` (None for the first one)."""
    if version is None or version.number is None or version.number == 1:
        return None
    previous = queries.version_or_404(AgendaVersion, meeting, version.number - 1)
    return diff_agendas(queries.agenda_tree(previous), tree)


def _render_version(request, meeting, version, versions):
    # Read only if the page's cached tree (keyed on the version and the content version) is not there.
    tree = SimpleLazyObject(lambda: queries.agenda_tree(version) if version else [])
    return render(
        request,
        "agenda/agenda_version.html",
        {
            "meeting": meeting,
            "version": version,
            "tree": tree,
            "fragments_version": pagecache.agenda_version(),
            "changes": _previous_changes(meeting, version, tree),
            "versions": versions,
        },
    )


@public_page
def agenda_current(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.view_published")
    versions, current = queries.published_and_current(AgendaVersion, meeting)
    return _render_version(request, meeting, current, versions)


@public_page
def agenda_version(request, meeting_pk, number):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.view_published")
    version = queries.version_or_404(AgendaVersion, meeting, number)
    return _render_version(request, meeting, version, queries.published_versions(AgendaVersion, meeting))


@login_required
def agenda_draft(request, meeting_pk):
    """The draft: read-only for the chair, the editor for the secretariat. For the secretariat, the items and what
    is not yet published are cached fragments: when they are there, neither tree is read."""
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.view_draft")
    draft, current = queries.draft_and_current(AgendaVersion, meeting)
    tree = SimpleLazyObject(lambda: queries.agenda_tree(draft))
    context = {
        "meeting": meeting,
        "draft": draft,
        "tree": tree,
        "current": current,
        "changes": SimpleLazyObject(lambda: diff_agendas(queries.agenda_tree(current) if current else [], tree)),
        "fragments_version": pagecache.agenda_version(),
    }
    if request.user.has_perm("agenda.edit", meeting):
        context["editor_tree"] = _editor_tree(meeting, draft, tree, context["fragments_version"])
    return render(request, "agenda/agenda_draft.html", context)


def _editor_tree(meeting, draft, tree, version) -> str:
    """The editor's items, rendered once per revision of the draft, language and agendas' version (documents linked
    to items change it) and kept in the cache: every editor of the meeting sees the same. They hold no form (each
    item's buttons come from one template on the page, ``_editor_actions.html``), so nothing in them is a reader's
    own. Empty for a draft without items."""
    key = f"agenda:editor:{draft.pk}:{draft.revision}:{get_language()}:{version}"
    html = cache.get(key)
    if html is None:
        html = ""
        if tree:
            html = render_to_string("agenda/_editor_tree.html", {"meeting": meeting, "nodes": tree})
        cache.set(key, html, 3600)
    return mark_safe(html)  # noqa: S308 - our own rendered HTML


def _draft_item(meeting, pk):
    return get_object_or_404(
        AgendaItem.objects.select_related("version__meeting"), pk=pk, version__meeting=meeting, version__number=None
    )


@login_required
def agenda_item_add(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    draft = queries.version_or_404(AgendaVersion, meeting, None)
    parents = flatten(queries.agenda_tree(draft))
    form = AddAgendaItemForm(
        request.POST or None,
        meeting=meeting,
        parents=parents,
        initial={"revision": draft.revision, "parent": request.GET.get("parent")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_agenda_item(
                meeting,
                revision=data["revision"],
                by=request.user,
                parent=data["parent"],
                title=data["title"],
                description=data["description"],
                working_party=data["working_party"],
                questions=data["questions"],
                documents=data["documents"],
            )
        except services.AgendaError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("Item “%(title)s” added.") % {"title": data["title"]})
            return _draft_url(meeting)
    return render(request, "agenda/item_form.html", {"meeting": meeting, "form": form, "item": None})


@login_required
def agenda_item_edit(request, meeting_pk, pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    item = _draft_item(meeting, pk)
    initial = {
        "revision": item.version.revision,
        "title": item.title,
        "description": item.description,
        "working_party": item.working_party,
        "questions": list(item.questions.all()),
        "documents": list(item.documents.all()),
    }
    form = AgendaItemForm(request.POST or None, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_agenda_item(
                item,
                revision=data["revision"],
                by=request.user,
                title=data["title"],
                description=data["description"],
                working_party=data["working_party"],
                questions=data["questions"],
                documents=data["documents"],
            )
        except services.AgendaError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("Item “%(title)s” saved.") % {"title": data["title"]})
            return _draft_url(meeting)
    label = queries.agenda_labels(meeting, include_draft=True)[item.uid].label
    return render(request, "agenda/item_form.html", {"meeting": meeting, "form": form, "item": item, "label": label})


def _answer(request, meeting, *, error=None, success=None, item=None):
    """After a button or a drag: JSON for the editor's script, else a message and back to the editor."""
    if request.headers.get("Accept") == "application/json":
        if error:
            return JsonResponse({"error": error}, status=409)
        return JsonResponse({"message": success})
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return _draft_url(meeting, item)


@require_POST
@login_required
def agenda_item_delete(request, meeting_pk, pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    item = _draft_item(meeting, pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _answer(request, meeting, error=_("The form was incomplete; nothing was changed."))
    try:
        services.delete_agenda_item(item, revision=form.cleaned_data["revision"], by=request.user)
    except services.AgendaError as error:
        return _answer(request, meeting, error=error.message)
    return _answer(request, meeting, success=_("Item “%(title)s” deleted.") % {"title": item.title})


@require_POST
@login_required
def agenda_item_shift(request, meeting_pk, pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    item = _draft_item(meeting, pk)
    form = ShiftForm(request.POST)
    if not form.is_valid():
        return _answer(request, meeting, error=_("The form was incomplete; nothing was changed."))
    try:
        services.shift_agenda_item(
            item, revision=form.cleaned_data["revision"], by=request.user, direction=form.cleaned_data["direction"]
        )
    except services.AgendaError as error:
        return _answer(request, meeting, error=error.message)
    return _answer(request, meeting, success=_("Item “%(title)s” moved.") % {"title": item.title}, item=item)


@require_POST
@login_required
def agenda_item_move(request, meeting_pk, pk):
    """Where a drag and drop lands: under ``parent`` (empty for the top level) at ``index``."""
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    item = _draft_item(meeting, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _answer(request, meeting, error=_("The form was incomplete; nothing was changed."))
    data = form.cleaned_data
    parent = _draft_item(meeting, data["parent"]) if data["parent"] else None
    try:
        services.move_agenda_item(item, revision=data["revision"], by=request.user, parent=parent, index=data["index"])
    except services.AgendaError as error:
        return _answer(request, meeting, error=error.message)
    return _answer(request, meeting, success=_("Item “%(title)s” moved.") % {"title": item.title}, item=item)


@login_required
def agenda_outline(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    draft = queries.version_or_404(AgendaVersion, meeting, None)
    form = OutlineForm(request.POST or None, initial={"revision": draft.revision})
    if request.method == "POST" and form.is_valid():
        outline = form.outline
        try:
            added = services.import_outline(
                meeting,
                revision=form.cleaned_data["revision"],
                by=request.user,
                outline=outline,
                replace=form.cleaned_data["replace"],
            )
        except services.AgendaError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s item added from the text.", "%(count)s items added from the text.", added)
                % {"count": added},
            )
            for warning in outline.warnings:
                messages.warning(request, warning)
            if outline.skipped:
                skipped = "; ".join(f"{number}: {text}" for number, text in outline.skipped)
                messages.info(request, _("Lines skipped (not items): %(lines)s") % {"lines": skipped})
            return _draft_url(meeting)
    return render(request, "agenda/outline_form.html", {"meeting": meeting, "form": form, "draft": draft})


@login_required
def agenda_publish(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    draft = queries.version_or_404(AgendaVersion, meeting, None)
    form = PublishAgendaForm(request.POST or None, initial={"revision": draft.revision}, td=queries.agenda_td(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_agenda(
                meeting,
                revision=form.cleaned_data["revision"],
                by=request.user,
                note=form.cleaned_data["note"],
                issue_as_td=form.cleaned_data["issue_as_td"],
            )
        except services.AgendaError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("Version %(number)s of the agenda is published.") % {"number": version.number})
            return redirect("agenda:agenda_version", meeting_pk=meeting.pk, number=version.number)
    current = queries.current_version(AgendaVersion, meeting)
    tree = queries.agenda_tree(draft)
    changes = diff_agendas(queries.agenda_tree(current) if current else [], tree)
    return render(
        request,
        "agenda/publish_form.html",
        {"meeting": meeting, "form": form, "current": current, "changes": changes, "kind": "agenda"},
    )


def agenda_compare(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.view_published")
    numbers = list(queries.published_versions(AgendaVersion, meeting).values_list("number", flat=True))
    form = CompareForm(
        request.GET or None, numbers=numbers, with_draft=request.user.has_perm("agenda.view_draft", meeting)
    )
    changes = old = new = None
    if form.is_valid():
        old = queries.version_or_404(AgendaVersion, meeting, form.number(form.cleaned_data["old"]))
        new = queries.version_or_404(AgendaVersion, meeting, form.number(form.cleaned_data["new"]))
        changes = diff_agendas(queries.agenda_tree(old), queries.agenda_tree(new))
    return render(
        request,
        "agenda/compare.html",
        {"meeting": meeting, "form": form, "changes": changes, "old": old, "new": new, "kind": "agenda"},
    )
