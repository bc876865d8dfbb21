from django.shortcuts import get_object_or_404, render

from .models import Meeting, StudyGroup


def study_group(request, number):
    group = get_object_or_404(StudyGroup, number=number)
    meetings = group.meetings.exclude(state=Meeting.State.DRAFT)
    return render(request, "meetings/study_group.html", {"study_group": group, "meetings": meetings})


def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("study_group").exclude(state=Meeting.State.DRAFT), pk=pk)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})
