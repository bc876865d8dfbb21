"""Errors as RFC 9457 problem details (``application/problem+json``), one place for every refusal of the API."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from documents.services import DocumentError
from registration.services import AlreadyDecided

PROBLEM_TYPE_BASE = "/api/v1/problems/"
TITLES = {
    400: _("The request is not valid"),
    401: _("Authentication required"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    415: _("Unsupported media type"),
    429: _("Too many requests"),
}
SLUGS = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not-found", 409: "conflict", 429: "throttled"}


def problem(status_code: int, detail: str, *, request=None, slug: str = "", headers=None, **extra) -> Response:
    body = {
        "type": PROBLEM_TYPE_BASE + (slug or SLUGS.get(status_code, "error")),
        "title": str(TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": str(detail),
    }
    if request is not None:
        body["instance"] = request.path
    body.update(extra)
    return Response(body, status=status_code, headers=headers, content_type="application/problem+json")


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    return {"non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def problem_exception_handler(exc, context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if isinstance(exc, AlreadyDecided):
        return problem(409, exc.message, request=request, slug="already-decided", state=exc.obj.state)
    if isinstance(exc, DocumentError):
        return problem(409, exc.message, request=request, slug="refused")
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return problem(400, _("Correct the fields named in “errors”."), request=request, errors=errors)
    # An access_* function refusing an anonymous caller: they should authenticate (DRF's own refusals, such as
    # a failed CSRF check, keep their 403).
    if isinstance(exc, PermissionDenied) and user is not None and not user.is_authenticated:
        exc = exceptions.NotAuthenticated()
        exc.auth_header = 'Bearer realm="api"'
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {k: v for k, v in response.items() if k.lower() in ("retry-after", "www-authenticate", "allow")}
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            _("Correct the fields named in “errors”."),
            request=request,
            headers=headers,
            errors=_flatten(exc.detail),
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data.get("detail", "")
    extra = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = int(exc.wait + 0.999)
    return problem(response.status_code, detail, request=request, headers=headers, **extra)
