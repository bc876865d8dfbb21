"""What the documents views share: the anonymous-to-login rule and serving a stored file safely."""

import functools
import re
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

# A downloaded file is never rendered by the browser as part of the portal.
FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def login_for_anonymous(view):
    """A refusal (403) for someone not logged in becomes a redirect to the login page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise

    return wrapper


def safe_download_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._!-]+", "_", name).strip("._") or "file"


def file_response(stored, filename: str) -> HttpResponse:
    """Serves a stored file as an attachment under ``filename``, from disk or through nginx (X-Accel-Redirect)."""
    if settings.SERVE_FILES_WITH_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=stored.content_type)
        prefix = settings.X_ACCEL_REDIRECT_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{quote(stored.file.name)}"
    else:
        try:
            handle = stored.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=stored.content_type)
        response["Content-Length"] = str(stored.size)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-cache"
    return response
