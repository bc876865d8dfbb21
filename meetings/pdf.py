"""The collective letter as a PDF, rendered by WeasyPrint from the same data and partial as the letter's page."""

import hashlib
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from .letter import kept_letter_context, letter_context
from .models import Meeting

# A rendered letter is kept for this long under the hash of its HTML and stylesheet: same input, same PDF.
PDF_CACHE_SECONDS = 24 * 3600
LETTER_STYLESHEET = "css/meetings-letter-print.css"

# WeasyPrint reports each rendering step at INFO; the portal logs at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _static_base_url() -> str:
    return f"{settings.SITE_URL}{settings.STATIC_URL}"


def find_static_file(relative: str) -> str | None:
    """The file on disk behind a static name, the plain one ("agenda/pdf.css") or the hashed one the manifest
    storage writes into pages ("agenda/pdf.3f2a….css"); None for anything else."""
    if not relative or ".." in relative.split("/") or relative.startswith("/"):
        return None
    path = finders.find(relative)
    if path:
        return path
    # Under the manifest storage a hashed name maps back to its source name; the collected copy is read
    # when the sources are not beside the code.
    hashed_files = getattr(staticfiles_storage, "hashed_files", None) or {}
    originals = {hashed: original for original, hashed in hashed_files.items()}
    if relative in originals:
        path = finders.find(originals[relative])
        if path:
            return path
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return str(candidate)
    return None


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves the portal's own static files and refuses every other address.

    Every PDF of the portal is rendered with it, so no document can make the server read a remote address or a
    local file outside the static files.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts, origin = urlsplit(url), urlsplit(settings.SITE_URL)
            if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc) or not parts.path.startswith(
                settings.STATIC_URL
            ):
                raise ValueError(f"A PDF may only use the portal's static files, not {url}")
            relative = unquote(parts.path.removeprefix(settings.STATIC_URL))
            path = find_static_file(relative)
            if not path:
                raise ValueError(f"No static file {relative!r}")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticOnlyFetcher()


def render_pdf(html: str) -> bytes:
    """Renders an HTML document of the portal to PDF bytes (WeasyPrint is imported here: it is slow to load).

    Every PDF is PDF/UA-1: tagged (headings, tables and lists reach a screen reader as such), with the document's
    language from ``<html lang>`` and its ``<title>`` shown as the window title.
    """
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=_static_base_url(), url_fetcher=static_only_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def render_template_pdf(template_name: str, context: dict) -> bytes:
    return render_pdf(render_to_string(template_name, context))


def letter_html(meeting: Meeting, *, kept=None) -> str:
    """The HTML document WeasyPrint turns into the letter's PDF; ``kept``: the letter as issued, if it was kept."""
    if kept is not None:
        context = kept_letter_context(meeting, kept)
        return render_to_string("meetings/letter_pdf.html", context)
    return render_to_string("meetings/letter_pdf.html", letter_context(meeting))


def letter_cache_key(html: str) -> str:
    digest = hashlib.sha256(html.encode())
    with open(finders.find(LETTER_STYLESHEET), "rb") as stylesheet:
        digest.update(stylesheet.read())
    return "meetings:letter-pdf:" + digest.hexdigest()


def letter_pdf(meeting: Meeting, *, kept=None) -> bytes:
    """The collective letter of ``meeting`` (fetched with ``queries.meeting_with_details()``) as PDF bytes.

    Rendering takes most of a second, so the PDF is kept in the cache under the hash of its HTML and stylesheet:
    any change to what the letter says or how it looks gives another key, and an unchanged letter is not rendered
    twice. A letter as issued (``kept``) never changes: its PDF is rendered once per language and kept in the
    file storage, from which it is served afterwards, whatever the cache holds.
    """
    html = letter_html(meeting, kept=kept)
    if kept is None:
        return _cached_pdf(html)
    return _stored_pdf(kept, html)


def addendum_html(context: dict) -> str:
    """The HTML document WeasyPrint turns into an addendum's PDF (``context``: ``letter.addendum_context``)."""
    return render_to_string("meetings/addendum_pdf.html", context)


def addendum_pdf(context: dict) -> bytes:
    """An addendum (``letter.addendum_context``) as PDF bytes, issued and so stored like the issued letter."""
    return _stored_pdf(context["addendum"], addendum_html(context))


def store_issued_pdfs(issue_pk: int) -> int:
    """Renders the letter or addendum ``issue_pk`` as issued, in every language of the portal, into the storage
    from which its PDF is then served (``meetings.render_issued_pdfs``, run by a worker when it is issued), so no
    reader waits for a render and no web process loads WeasyPrint for it. Returns how many PDFs were rendered
    (0 for an issue that is gone or whose PDFs are all stored already). A reader who comes first still gets the
    PDF: ``letter_pdf`` and ``addendum_pdf`` render what is missing.
    """
    from django.utils import translation

    from .letter import addendum_context
    from .models import LetterIssue
    from .queries import issued_letters, meeting_with_details

    issue = LetterIssue.objects.filter(pk=issue_pk).first()
    if issue is None:
        return 0
    meeting = meeting_with_details().get(pk=issue.meeting_id)
    letter, _addenda = issued_letters(meeting)
    rendered = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if issue.number == 0:
                html = letter_html(meeting, kept=issue)
            else:
                html = addendum_html(addendum_context(meeting, issue, letter))
            if not default_storage.exists(issued_pdf_name(issue, html)):
                _stored_pdf(issue, html)
                rendered += 1
    return rendered


def issued_pdf_name(issue, html: str) -> str:
    """Where the PDF of a letter or addendum as issued is stored: one file per issue and per HTML (its language,
    and the stylesheet's version, are in the hash)."""
    digest = letter_cache_key(html).rsplit(":", 1)[1][:24]
    return f"letters/meeting-{issue.meeting_id}/issue-{issue.number}-{issue.pk}-{digest}.pdf"


def _stored_pdf(issue, html: str) -> bytes:
    key = letter_cache_key(html)
    pdf = cache.get(key)
    if pdf is not None:
        return pdf
    name = issued_pdf_name(issue, html)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            pdf = stored.read()
    else:
        pdf = render_pdf(html)
        default_storage.save(name, ContentFile(pdf))  # two first readers at once: the storage keeps both
    cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def _cached_pdf(html: str) -> bytes:
    key = letter_cache_key(html)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(html)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
