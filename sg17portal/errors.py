"""Refusals that people see, and the one place that turns them into form errors, messages or a status.

A service that refuses a request raises a ``PortalError`` (or a ``ValidationError`` keyed by form field, for
input a form could not check by itself). Its ``message`` is the sentence the person reads; ``field`` names
the form field it belongs to (None: the whole form); ``status`` is the HTTP status when the refusal ends the
request; ``level`` is the message level when it is reported after a redirect.

Views do not format refusals themselves: they call ``add_to_form(form, error)`` when the form is shown
again, ``report(request, error)`` when they redirect, and a refusal that no view caught is answered by
``PortalErrorMiddleware`` with its status and message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render


class PortalError(Exception):
    """A request refused by a rule of the portal; ``message`` says why, in words for the person."""

    field: str | None = None
    status: int = 400
    level: int = messages.ERROR

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self._message = message
        if field is not None:
            self.field = field

    @property
    def message(self) -> str:
        return str(self._message)

    def __str__(self) -> str:
        return self.message


class NotAllowed(PortalError):
    """The person may not do this (e.g. only the secretariat posts TDs)."""

    status = 403


class DeadlinePassed(PortalError):
    """A deadline of the meeting has passed; the message names it, its day and the meeting's zone."""

    status = 403


class Conflict(PortalError):
    """Someone else changed the object first, or it is already in the state asked for: nothing was changed."""

    status = 409


class InvalidInput(PortalError):
    """What was sent cannot be used (a refused file, an outline that cannot be read, an impossible move)."""

    field: str | None = None


def add_to_form(form, error: PortalError | ValidationError) -> None:
    """Shows a service's refusal on the form shown again: on its field when the form has it, else on top."""
    if isinstance(error, PortalError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def report(request, error: PortalError | ValidationError, *, prefix: str = "") -> None:
    """Shows a service's refusal as a message on the next page (after a redirect)."""
    if isinstance(error, PortalError):
        messages.add_message(request, error.level, f"{prefix}{error.message}")
    else:
        for message in error.messages:
            messages.error(request, f"{prefix}{message}")


class PortalErrorMiddleware:
    """A refusal no view caught ends the request with its status and its message, never as a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PortalError):
            return None
        return render(request, "refused.html", {"message": exception.message}, status=exception.status)
