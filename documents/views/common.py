"""What the documents views share: the anonymous-to-login rule and serving a stored file safely."""

import functools
import re

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from sg17portal.storage import FILE_CSP, stored_file_response

__all__ = ["FILE_CSP", "file_response", "login_for_anonymous", "safe_download_name"]


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
    """Serves a stored document file as an attachment under ``filename``, once the caller has checked access."""
    return stored_file_response(stored.file, filename=filename, content_type=stored.content_type, size=stored.size)
