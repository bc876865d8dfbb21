"""PDFs of agenda and time plan versions, rendered by WeasyPrint from the portal's own templates."""

import logging
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _static_only_fetcher():
    """A URL fetcher that serves the portal's static files and refuses every other address."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    prefix = f"{settings.SITE_URL}{settings.STATIC_URL}"

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(prefix):
                raise ValueError(f"The PDF renderer only reads the portal's static files, not {url}")
            path = finders.find(url.removeprefix(prefix).split("?")[0])
            if not path:
                raise ValueError(f"No static file at {url}")
            with open(path, "rb") as handle:
                body = handle.read()
            mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return StaticFilesFetcher()


def render_pdf(template_name: str, context: dict) -> bytes:
    # Its step-by-step progress is logged at INFO (some on import): not worth a line per step in the log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint

    html = render_to_string(template_name, context)
    document = weasyprint.HTML(string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=_static_only_fetcher())
    return document.write_pdf()


def agenda_pdf(meeting, version, tree) -> bytes:
    return render_pdf("agenda/pdf/agenda.html", {"meeting": meeting, "version": version, "tree": tree})


def time_plan_pdf(meeting, version, days) -> bytes:
    return render_pdf("agenda/pdf/time_plan.html", {"meeting": meeting, "version": version, "days": days})
