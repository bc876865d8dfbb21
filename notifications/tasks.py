from celery import shared_task

from . import services


@shared_task(name="notifications.send_queued_mail", ignore_result=True)
def send_queued_mail():
    return services.send_due_mail()


@shared_task(name="notifications.sweep_outbox", ignore_result=True)
def sweep_outbox():
    return services.sweep_outbox()
