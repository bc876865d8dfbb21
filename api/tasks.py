from celery import shared_task

from . import webhooks


@shared_task(name="api.deliver_webhooks")
def deliver_webhooks() -> int:
    """Sends the webhook deliveries that are due (queued on commit of each change, and by the periodic sweep)."""
    return webhooks.deliver_due()
