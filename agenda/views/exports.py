"""PDFs of any version, and the time plan as a calendar (downloaded, or subscribed with a personal link)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import pdf, queries
from ..calendar import CALENDAR_SALT, calendar_token_is_current, replace_calendar_links, time_plan_calendar
from ..models import AgendaVersion, TimePlanVersion
from ..timeplan import days_of


def _access_version(user, meeting_pk, model, number):
    """Published versions for everyone, the draft (``number`` None) for those who read drafts."""
    perm = "agenda.view_draft" if number is None else "agenda.view_published"
    access = queries.access_meeting(user, meeting_pk, perm=perm)
    return access.meeting, queries.version_or_404(model, access.meeting, number)


def _file_name(meeting, kind, version) -> str:
    suffix = "draft" if version.is_draft else f"v{version.number}"
    return f"SG{meeting.study_group.number}-{meeting.first_day:%Y-%m}-{kind}-{suffix}"


@require_GET
def agenda_pdf(request, meeting_pk, number):
    """A published version: public."""
    return _agenda_pdf(request, meeting_pk, number)


@require_GET
@login_required
def agenda_draft_pdf(request, meeting_pk):
    return _agenda_pdf(request, meeting_pk, None)


def _agenda_pdf(request, meeting_pk, number):
    meeting, version = _access_version(request.user, meeting_pk, AgendaVersion, number)
    body = pdf.agenda_pdf(meeting, version, queries.agenda_tree(version))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(meeting, "agenda", version)}.pdf"'
    return response


def _time_plan_days(meeting, version):
    agenda = queries.agenda_labels(meeting, include_draft=version.is_draft)
    return days_of(queries.sessions_of(version), meeting, agenda=agenda)


@require_GET
def time_plan_pdf(request, meeting_pk, number):
    """A published version: public."""
    return _time_plan_pdf(request, meeting_pk, number)


@require_GET
@login_required
def time_plan_draft_pdf(request, meeting_pk):
    return _time_plan_pdf(request, meeting_pk, None)


def _time_plan_pdf(request, meeting_pk, number):
    meeting, version = _access_version(request.user, meeting_pk, TimePlanVersion, number)
    body = pdf.time_plan_pdf(meeting, version, _time_plan_days(meeting, version))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(meeting, "time-plan", version)}.pdf"'
    return response


def _calendar_response(meeting):
    version = queries.current_version(TimePlanVersion, meeting)
    if version is None:
        raise Http404
    body = time_plan_calendar(meeting, version, _time_plan_days(meeting, version))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(meeting, "time-plan", version)}.ics"'
    return response


@require_GET
def time_plan_ics(request, meeting_pk):
    """The current published time plan as a calendar file."""
    access = queries.access_meeting(request.user, meeting_pk, perm="agenda.view_published")
    return _calendar_response(access.meeting)


@require_GET
def calendar_feed(request, token):
    """The subscription feed: calendar programs cannot log in, so the signed link stands for the person,
    whose right to read is checked on every fetch."""
    try:
        claims = signing.loads(token, salt=CALENDAR_SALT)
        user = get_user_model().objects.get(pk=claims["u"], is_active=True)
    except (signing.BadSignature, KeyError, TypeError, get_user_model().DoesNotExist) as error:
        raise Http404 from error
    if not calendar_token_is_current(user, claims):
        raise Http404
    access = queries.access_meeting(user, claims.get("m"), perm="agenda.view_published")
    return _calendar_response(access.meeting)


@require_POST
@login_required
def replace_calendar_links_view(request):
    """From the profile: the person's calendar subscription links are replaced by new ones."""
    if not request.user.has_perm("agenda.replace_own_calendar_links"):
        raise PermissionDenied
    replace_calendar_links(request.user)
    messages.success(
        request,
        _(
            "Your calendar links were replaced: the old ones no longer work. "
            "Subscribe again from a meeting's time plan."
        ),
    )
    return redirect("profile")
