"""Where stored files live: the file system by default, a private S3-compatible bucket in production
(``sg17portal.object_storage``).

Files are never public: the bucket has no public policy and nothing is uploaded with a public ACL. A download
passes the portal's access check first and is then handed out as a presigned URL that lives for
``DOWNLOAD_URL_SECONDS`` (``documents.views.common.file_response``).
"""

import sys
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def uses_object_storage(storage) -> bool:
    # The S3 backend (and boto3, some 25 MB per process) is imported only when settings name a bucket
    # (sg17portal.object_storage); a process that has not imported it has no storage of that kind.
    kind = storage.__class__  # of the storage itself: sets up a lazy one such as default_storage
    s3 = sys.modules.get("storages.backends.s3")
    return s3 is not None and issubclass(kind, s3.S3Storage)


# A downloaded file is never rendered by the browser as part of the portal.
FILE_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"


def stored_file_response(field_file, *, filename: str, content_type: str, size: int | None = None) -> HttpResponse:
    """Hands out a stored file as an attachment under ``filename``; the caller has checked access.

    From object storage: a redirect to a presigned URL that lives ``settings.DOWNLOAD_URL_SECONDS``, whose response
    parameters make the bucket answer as an attachment with the stored content type. On the file system: through
    nginx (X-Accel-Redirect to its internal location) when it is in front, else streamed by the portal.
    """
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    if uses_object_storage(field_file.storage):
        url = field_file.storage.url(
            field_file.name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=settings.DOWNLOAD_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    if settings.SERVE_FILES_WITH_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        prefix = settings.X_ACCEL_REDIRECT_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{quote(field_file.name)}"
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
        if size is not None:
            response["Content-Length"] = str(size)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-cache"
    return response
