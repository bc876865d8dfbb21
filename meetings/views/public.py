"""What anyone may read: study groups, announced meetings, their letter and their calendar."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from sg17portal.pagecache import bring_along, meetings_version, public_page

from .. import display, extensions, queries
from ..letter import addendum_context, kept_letter_context, letter_context
from ..models import StudyGroup
from ..pdf import addendum_pdf, letter_pdf


@require_GET
@public_page
def index(request):
    groups = queries.study_groups_with_upcoming_meetings()
    return render(request, "meetings/index.html", {"study_groups": groups})


@require_GET
@public_page
def study_group(request, number):
    group = get_object_or_404(StudyGroup.objects.prefetch_related("questions"), number=number)
    upcoming, past = queries.meetings_of_study_group(group)
    return render(request, "meetings/study_group.html", {"study_group": group, "upcoming": upcoming, "past": past})


def _public_meeting(user, pk):
    return queries.access_meeting(user, pk, perm="meetings.view_meeting")


def _file_stem(meeting) -> str:
    return f"sg{meeting.study_group.number}-meeting-{meeting.first_day:%Y-%m-%d}"


@require_GET
@public_page
def meeting_detail(request, pk):
    bring_along(*extensions.meeting_page_cache_keys(pk))  # the sections' entries come with the meeting
    meeting = _public_meeting(request.user, pk)
    now = timezone.now()
    viewer_zone = timezone.get_current_timezone()
    meeting_zone = meeting.zone
    deadlines = [
        {
            "deadline": d,
            "status": display.deadline_status(d, now),
            "last_moment": display.last_moment(d).astimezone(meeting_zone),
            "viewer_last_moment": display.last_moment(d).astimezone(viewer_zone),
        }
        for d in meeting.deadlines.all()
    ]
    side_events = [
        {
            "event": e,
            "start": e.starts_at.astimezone(meeting_zone),
            "end": e.ends_at.astimezone(meeting_zone),
            "viewer_start": e.starts_at.astimezone(viewer_zone),
            "viewer_end": e.ends_at.astimezone(viewer_zone),
        }
        for e in meeting.side_events.all()
    ]
    calendar_url = request.build_absolute_uri(reverse("meetings:calendar", kwargs={"pk": meeting.pk}))
    context = {
        "meeting": meeting,
        "day_range": display.day_range_text(meeting.first_day, meeting.last_day),
        "zone_label": display.zone_label(meeting.time_zone),
        "hours": display.hours_text(meeting.session_start, meeting.session_end),
        "viewer_zone_name": timezone.get_current_timezone_name(),
        "viewer_hours": display.hours_in_zone(meeting, viewer_zone),
        "viewer_same_hours": display.same_wall_clock(meeting, viewer_zone),
        "deadlines": deadlines,
        "side_events": side_events,
        "calendar_url": calendar_url,
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[1],
        "sections": extensions.meeting_page_sections(),
        "addenda": SimpleLazyObject(lambda: queries.addenda_listed(meeting)),
        # The facts, deadlines and side events, and the letter's and calendar's cards, are the same for everyone in
        # the same time zone on the same day of the meeting's zone (a deadline's status changes at its midnight):
        # cached fragments under the content version, which every change of the meeting replaces. The sections of
        # the other apps (the viewer's registration, documents, agenda) are rendered for each request.
        "fragments_key": (now.astimezone(meeting_zone).date().isoformat(), meetings_version()),
    }
    return render(request, "meetings/meeting_detail.html", context)


@require_GET
@public_page
def meeting_letter(request, pk):
    """The letter as it was issued (the meeting's later changes are in its addenda), or as it will read."""
    meeting = _public_meeting(request.user, pk)
    kept, addenda = queries.issued_letters(meeting)
    context = kept_letter_context(meeting, kept) if kept is not None else letter_context(meeting)
    context.update(
        addenda=addenda, day_range=display.day_range_text(meeting.first_day, meeting.last_day), kept_letter=kept
    )
    return render(request, "meetings/letter.html", context)


@require_GET
def meeting_letter_pdf(request, pk):
    meeting = _public_meeting(request.user, pk)
    kept, _addenda = queries.issued_letters(meeting)
    response = HttpResponse(letter_pdf(meeting, kept=kept), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_stem(meeting)}-collective-letter.pdf"'
    return response


@require_GET
def meeting_addendum(request, pk, number):
    meeting, addendum, letter = queries.access_addendum(request.user, pk, number)
    return render(request, "meetings/addendum.html", addendum_context(meeting, addendum, letter))


@require_GET
def meeting_addendum_pdf(request, pk, number):
    meeting, addendum, letter = queries.access_addendum(request.user, pk, number)
    response = HttpResponse(addendum_pdf(addendum_context(meeting, addendum, letter)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_stem(meeting)}-addendum-{number}.pdf"'
    return response


@require_GET
def meeting_ics(request, pk):
    from ..ical import meeting_calendar  # icalendar (about 3 MB) is loaded by the processes that serve a calendar

    meeting = _public_meeting(request.user, pk)
    page_url = request.build_absolute_uri(meeting.get_absolute_url())
    response = HttpResponse(meeting_calendar(meeting, page_url=page_url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(meeting)}.ics"'
    return response
