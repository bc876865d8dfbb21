from celery import shared_task

from . import mailings


@shared_task(name="documents.sweep", ignore_result=True)
def sweep():
    """Deadline reminders and daily digests that are due; safe to run any number of times."""
    return mailings.sweep()
