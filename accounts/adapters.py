from allauth.account.adapter import DefaultAccountAdapter

from notifications.services import Mail, content_key, queue_rendered

from .ratelimits import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mails (verification, password reset, e-mail change) through the outbox."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        key = f"account:{template_prefix.rsplit('/', 1)[-1]}:{content_key(email, message.subject, message.body)}"
        queue_rendered([Mail(email, message.subject[:255], message.body, html, key)])

    def get_client_ip(self, request):
        """The address the rate limits count on: the trusted proxies' word, never the client's."""
        return client_ip(request)
