from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from notifications.services import Mail, content_key, queue_rendered

from .ratelimits import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's mails (verification, password reset, e-mail change) through the outbox."""

    def send_mail(self, template_prefix, email, context):
        # The templates greet with the site's name and domain: give them what allauth's own send_mail gives.
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        key = f"account:{template_prefix.rsplit('/', 1)[-1]}:{content_key(email, message.subject, message.body)}"
        queue_rendered([Mail(email, message.subject[:255], message.body, html, key)])

    def get_client_ip(self, request):
        """The address the rate limits count on: the trusted proxies' word, never the client's."""
        return client_ip(request)
