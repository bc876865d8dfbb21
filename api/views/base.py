"""What every API view shares: conditional GETs (ETag, Last-Modified) and answers that vary with the caller."""

import datetime
import hashlib

from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework import generics


class ApiView(generics.GenericAPIView):
    """A GET answer carries a strong ETag of its body and, when the view knows it, the last change as
    Last-Modified; ``If-None-Match`` / ``If-Modified-Since`` get 304 without the body."""

    # Lists that can grow use cursor pagination (``pagination.Cursor``); short ones answer as a plain array.
    pagination_class = None
    # Public data (announced meetings, collective letters) is served without authentication too.
    allows_anonymous = False
    # Set by the view while handling a GET when it knows when its data last changed.
    last_modified: datetime.datetime | None = None

    def initial(self, request, *args, **kwargs):
        # Times are given in UTC (and, where it matters, in the meeting's zone), never in the caller's own zone.
        timezone.deactivate()
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:40] + '"'
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        timestamp = None
        if self.last_modified is not None:
            timestamp = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(timestamp)
        conditional = get_conditional_response(request._request, etag=etag, last_modified=timestamp, response=response)
        if conditional is not response:
            for header in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if header in response:
                    conditional[header] = response[header]
        return conditional

    def note_changed(self, *instants) -> None:
        """Keeps the latest of the given instants (None ignored) as the answer's Last-Modified."""
        known = [i for i in instants if i is not None]
        if self.last_modified is not None:
            known.append(self.last_modified)
        self.last_modified = max(known) if known else None


def not_found(request, rest=""):
    """Any other address under /api/v1/ is a 404 in the API's own form, not the site's page."""
    from django.http import JsonResponse

    body = {
        "type": "/api/v1/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No such endpoint or object.",
        "instance": request.path,
    }
    return JsonResponse(body, status=404, content_type="application/problem+json")
