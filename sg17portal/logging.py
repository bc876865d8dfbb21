"""Logging filters of the portal as a whole."""

import logging


class OneLineRefusals(logging.Filter):
    """A refusal (403, 404) is an answer, not a fault: one line with the status, the user and the path,
    never the traceback Django attaches to the exception that produced it."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500 and record.exc_info:
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = f"user {user.pk}" if getattr(user, "is_authenticated", False) else "anonymous"
            record.msg = f"{record.getMessage()} ({status}, {who})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
