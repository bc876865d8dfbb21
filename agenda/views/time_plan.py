"""Time plan pages: the published versions for everyone, the draft and its editor for the secretariat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings.queries import access_meeting
from sg17portal import errors, pagecache
from sg17portal.pagecache import public_page

from .. import queries, services
from ..calendar import feed_url
from ..diff import diff_time_plans
from ..forms import CompareForm, DraftForm, PublishForm, SessionForm
from ..models import Session, TimePlanVersion
from ..timeplan import days_of, viewer_zone


def _draft_url(meeting):
    return redirect("agenda:time_plan_draft", meeting_pk=meeting.pk)


def _days(request, meeting, version, *, every_meeting_day=False):
    agenda = queries.agenda_labels(meeting, include_draft=version is not None and version.is_draft)
    sessions = queries.sessions_of(version) if version else []
    return days_of(
        sessions,
        meeting,
        viewer=viewer_zone(request.user, meeting),
        agenda=agenda,
        every_meeting_day=every_meeting_day,
    )


def _previous_changes(meeting, version):
    if version is None or version.number is None or version.number == 1:
        return None
    previous = queries.version_or_404(TimePlanVersion, meeting, version.number - 1)
    return diff_time_plans(list(queries.sessions_of(previous)), list(queries.sessions_of(version)))


def _render_version(request, meeting, version, versions):
    return render(
        request,
        "agenda/time_plan_version.html",
        {
            "meeting": meeting,
            "version": version,
            # Read only if the cached sessions of the page (sg17portal.pagecache's agendas' version) are not there.
            "days": SimpleLazyObject(lambda: _days(request, meeting, version)),
            "fragments_version": pagecache.agenda_version(),
            "viewer_zone": viewer_zone(request.user, meeting),
            "changes": _previous_changes(meeting, version),
            "versions": versions,
            "feed_url": feed_url(request.user, meeting) if request.user.is_authenticated else None,
            "shows_join_links": request.user.has_perm("agenda.view_join_links", meeting),
        },
    )


@public_page
def time_plan_current(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.view_published")
    versions, current = queries.published_and_current(TimePlanVersion, meeting)
    return _render_version(request, meeting, current, versions)


@public_page
def time_plan_version(request, meeting_pk, number):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.view_published")
    version = queries.version_or_404(TimePlanVersion, meeting, number)
    return _render_version(request, meeting, version, queries.published_versions(TimePlanVersion, meeting))


@login_required
def time_plan_draft(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.view_draft")
    draft, current = queries.draft_and_current(TimePlanVersion, meeting)
    days = _days(request, meeting, draft, every_meeting_day=request.user.has_perm("agenda.edit", meeting))
    sessions = [row.session for day in days for row in day.rows]
    return render(
        request,
        "agenda/time_plan_draft.html",
        {
            "meeting": meeting,
            "draft": draft,
            "days": days,
            "viewer_zone": viewer_zone(request.user, meeting),
            "current": current,
            "changes": diff_time_plans(list(queries.sessions_of(current)) if current else [], sessions),
            "flagged": sum(1 for day in days for row in day.rows if row.flags),
            "shows_join_links": request.user.has_perm("agenda.view_join_links", meeting),
        },
    )


def _draft_session(meeting, pk):
    return get_object_or_404(
        Session.objects.select_related("version__meeting"), pk=pk, version__meeting=meeting, version__number=None
    )


def _session_form(request, meeting, draft, *, initial):
    agenda = queries.agenda_labels(meeting, include_draft=True)
    return SessionForm(request.POST or None, meeting=meeting, agenda=agenda, initial=initial)


@login_required
def session_add(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    draft = queries.version_or_404(TimePlanVersion, meeting, None)
    initial = {
        "revision": draft.revision,
        "day": request.GET.get("day") or meeting.first_day,
        "start": meeting.session_start,
        "end": meeting.session_end,
        "remote_participation": True,
    }
    form = _session_form(request, meeting, draft, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.add_session(
                meeting, revision=form.cleaned_data["revision"], by=request.user, **form.session_fields()
            )
        except services.AgendaError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("Session “%(title)s” added.") % {"title": session.title})
            return _draft_url(meeting)
    return render(request, "agenda/session_form.html", {"meeting": meeting, "form": form, "session": None})


@login_required
def session_edit(request, meeting_pk, pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    session = _draft_session(meeting, pk)
    initial = {"revision": session.version.revision, **SessionForm.initial_for(session, meeting.zone)}
    form = _session_form(request, meeting, session.version, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(
                session, revision=form.cleaned_data["revision"], by=request.user, **form.session_fields()
            )
        except services.AgendaError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("Session “%(title)s” saved.") % {"title": form.cleaned_data["title"]})
            return _draft_url(meeting)
    return render(request, "agenda/session_form.html", {"meeting": meeting, "form": form, "session": session})


@require_POST
@login_required
def session_delete(request, meeting_pk, pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    session = _draft_session(meeting, pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return _draft_url(meeting)
    try:
        services.delete_session(session, revision=form.cleaned_data["revision"], by=request.user)
    except services.AgendaError as error:
        errors.report(request, error)
    else:
        messages.success(request, _("Session “%(title)s” deleted.") % {"title": session.title})
    return _draft_url(meeting)


@login_required
def time_plan_publish(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.edit")
    draft = queries.version_or_404(TimePlanVersion, meeting, None)
    form = PublishForm(request.POST or None, initial={"revision": draft.revision})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_time_plan(
                meeting, revision=form.cleaned_data["revision"], by=request.user, note=form.cleaned_data["note"]
            )
        except services.AgendaError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(
                request, _("Version %(number)s of the time plan is published.") % {"number": version.number}
            )
            return redirect("agenda:time_plan_version", meeting_pk=meeting.pk, number=version.number)
    current = queries.current_version(TimePlanVersion, meeting)
    changes = diff_time_plans(list(queries.sessions_of(current)) if current else [], list(queries.sessions_of(draft)))
    return render(
        request,
        "agenda/publish_form.html",
        {"meeting": meeting, "form": form, "current": current, "changes": changes, "kind": "time_plan"},
    )


def time_plan_compare(request, meeting_pk):
    meeting = access_meeting(request.user, meeting_pk, perm="agenda.view_published")
    numbers = list(queries.published_versions(TimePlanVersion, meeting).values_list("number", flat=True))
    form = CompareForm(
        request.GET or None, numbers=numbers, with_draft=request.user.has_perm("agenda.view_draft", meeting)
    )
    changes = old = new = None
    if form.is_valid():
        old = queries.version_or_404(TimePlanVersion, meeting, form.number(form.cleaned_data["old"]))
        new = queries.version_or_404(TimePlanVersion, meeting, form.number(form.cleaned_data["new"]))
        changes = diff_time_plans(list(queries.sessions_of(old)), list(queries.sessions_of(new)))
    return render(
        request,
        "agenda/compare.html",
        {"meeting": meeting, "form": form, "changes": changes, "old": old, "new": new, "kind": "time_plan"},
    )
