from celery import shared_task

from meetings.models import Meeting

from .services import td


@shared_task(name="agenda.issue_agenda_tds", ignore_result=True)
def issue_agenda_tds(meeting_id):
    """Issues the meeting's published agenda versions that wait to become a TD revision."""
    meeting = Meeting.objects.select_related("study_group", "study_period").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    return td.issue_pending_agenda_tds(meeting)


@shared_task(name="agenda.sweep", ignore_result=True)
def sweep():
    """Catches the agenda TDs a worker missed; safe to run any number of times."""
    return sum(issue_agenda_tds(meeting_id) for meeting_id in td.meetings_with_pending_tds())
