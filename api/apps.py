from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from notifications.events import event_published

        from . import schema, webhooks  # noqa: F401 - the schema extensions register themselves

        # Every published event becomes one delivery row per subscribed endpoint, in the change's transaction.
        event_published.connect(webhooks.record_event, dispatch_uid="api.webhooks.record_event")
