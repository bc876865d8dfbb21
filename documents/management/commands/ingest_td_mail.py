"""Reads one e-mail (RFC 822) on standard input, as a mail server's pipe delivers it, into the TD queue.

    # /etc/aliases:  sg17-td: "|/srv/portal/.venv/bin/python /srv/portal/manage.py ingest_td_mail"

Exit status 0 when the message was handled (queued, answered or ignored on purpose); any other status
makes the mail server keep the message and try again.
"""

import sys

from django.core.management.base import BaseCommand

from documents.mail_ingest import ingest_td_mail


class Command(BaseCommand):
    help = "Reads one RFC 822 message on standard input and puts its attachments in the TD queue."
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin.buffer
        raw = stream.read()
        if isinstance(raw, str):
            raw = raw.encode()
        result = ingest_td_mail(raw)
        detail = f" as draft {result.draft.pk}" if result.draft else ""
        self.stdout.write(f"{result.outcome}{detail}{': ' + result.reason if result.reason else ''}")
