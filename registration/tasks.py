from celery import shared_task

from . import services


@shared_task(name="registration.sweep", ignore_result=True)
def sweep():
    """Expires what the meetings' start leaves pending and sends the due reminders (safe to run twice)."""
    return services.sweep_registrations()
