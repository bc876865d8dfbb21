"""Reading documents: the index, a meeting's lists, a document's page, its files and the meeting's ZIP."""

import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meetings.models import Meeting, Question
from meetings.queries import access_meeting, meetings_visible_to
from sg17portal.pagecache import bring_along, meetings_version
from sg17portal.paging import is_plain_page

from .. import queries
from ..forms import SORT_CHOICES, TD_TYPE_CHOICES, DocumentFilterForm
from ..models import Kind
from ..services import subscribe_to_digest, unsubscribe_from_digest
from ..td_template import td_template
from .common import file_response, login_for_anonymous


@require_GET
def index(request):
    """The meetings whose documents the visitor may look for, with how many of each kind they hold."""
    meetings = (
        meetings_visible_to(request.user, Meeting.objects.select_related("study_group", "study_period"))
        .annotate(
            contributions=Count("documents", filter=Q(documents__kind=Kind.CONTRIBUTION)),
            tds=Count("documents", filter=Q(documents__kind=Kind.TD)),
        )
        .order_by("-first_day")[:50]
    )
    return render(
        request,
        "documents/index.html",
        {"meetings": meetings, "can_read": queries.can_read_restricted(request.user)},
    )


# How long a documents table is kept at most; any change it shows gives it another key at once.
TABLE_SECONDS = 600

LISTS = {
    # url name: (fixed kinds, page title, kind choices offered in the filter)
    "list": ((), None, None),
    "contributions": ((Kind.CONTRIBUTION.value,), _("Contributions"), []),
    "tds": ((Kind.TD.value,), _("Temporary documents (TDs)"), TD_TYPE_CHOICES),
}


@require_GET
@login_for_anonymous
def document_list(request, meeting_pk: int, which: str = "list"):
    """A meeting's documents as a table: filters, search, sorting, "new since"."""
    fixed_types, title, type_choices = LISTS[which]
    sort = request.GET.get("sort", "number")
    plain = is_plain_page(request, "sort") and sort in dict(SORT_CHOICES)
    if plain:
        # The plain page's mark comes along with the meeting, in one round trip to the cache.
        filters = queries.DocumentFilters(types=fixed_types, sort=sort)
        bring_along(queries.mark_key(meeting_pk, filters, request.GET.get("page")))
    meeting = access_meeting(request.user, meeting_pk, perm="documents.view_meeting_documents")

    # The sources a list can be filtered by: the filter form offers them, and its cached fragment is kept for them.
    sources = SimpleLazyObject(lambda: queries.meeting_sources(meeting))

    def filter_form():
        questions = Question.objects.filter(study_group=meeting.study_group).select_related("study_group")
        form_kwargs = {"questions": questions, "sources": sources}
        if type_choices is not None:
            form_kwargs["type_choices"] = type_choices
        return DocumentFilterForm(request.GET or None, **form_kwargs)

    # The filter form and the table are the same for everyone who may read the list: cached fragments per address
    # and language. A plain page (a page number and a sorting order, nothing else) is kept under its mark, a digest
    # the database makes of every value its rows show (``queries.meeting_documents_mark``): a posting that lands on
    # another page leaves it as it is, and a change it shows gives it another key on the next request. The filter
    # form is kept under the meetings' version (its Questions) and a digest of the sources it offers. Searches and
    # filters are rendered each time, so no one fills the cache by varying an address.
    form = SimpleLazyObject(filter_form)
    if not plain:
        filters = SimpleLazyObject(lambda: form.filters(fixed_types=fixed_types))
    listing = SimpleLazyObject(lambda: queries.meeting_documents(meeting, filters, page=request.GET.get("page")))
    if plain:
        mark = queries.meeting_documents_mark(meeting, filters, page=request.GET.get("page"))
        page, sources_mark = mark.page, mark.along["sources"]
    else:
        mark, page, sources_mark = None, SimpleLazyObject(lambda: listing[1]), sources
    deadline = queries.contributions_deadline(meeting)
    user = request.user
    return render(
        request,
        "documents/document_list.html",
        {
            "meeting": meeting,
            "which": which,
            "page_title": title or _("Documents"),
            "form": form,
            "show_type_filter": bool(type_choices) or type_choices is None,
            "rows": SimpleLazyObject(lambda: listing[0]),
            "page": page,
            "mark": mark,
            "meetings_version": meetings_version(),
            "sources_mark": sources_mark,
            "table_seconds": TABLE_SECONDS if plain else 0,
            "filters": filters,
            "deadline": deadline,
            "deadline_open": deadline is None or deadline.is_open(),
            "subscribed": queries.is_subscribed(user, meeting),
        },
    )


@require_GET
@login_for_anonymous
def document_detail(request, pk: int):
    document = queries.access_document(request.user, pk)
    # Through the related manager, each revision knows its document without another query.
    revisions = document.revisions.select_related("created_by").prefetch_related("files").order_by("-number")
    labels = queries.question_labels([document.pk], document.study_group.number)
    return render(
        request,
        "documents/document_detail.html",
        {"document": document, "revisions": revisions, "questions": labels.get(document.pk, "")},
    )


@require_GET
@login_for_anonymous
def document_file(request, pk: int, name: str):
    """A file of a document, under its canonical name, for those who may read the document."""
    file = queries.access_document_file(request.user, pk)
    if name != file.name:
        raise Http404
    return file_response(file, file.name)


@require_GET
@login_for_anonymous
def meeting_zip(request, meeting_pk: int):
    """All latest files of a meeting's documents as one ZIP, streamed while it is written."""
    meeting = access_meeting(request.user, meeting_pk, perm="documents.view_meeting_documents")
    files = list(queries.latest_files(meeting))
    folders = {Kind.CONTRIBUTION: "C", Kind.TD: "TD", Kind.COLLECTIVE_LETTER: "COL"}
    entries = [(f"{folders.get(f.revision.document.kind, 'other')}/{f.name}", f) for f in files]
    response = StreamingHttpResponse(_zip_stream(entries), content_type="application/zip")
    name = f"SG{meeting.study_group.number}-{meeting.first_day:%Y%m%d}-documents.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


class _Sink:
    """A write-only buffer that ``zipfile`` writes into and the response drains."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _zip_stream(entries):
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for arcname, stored in entries:
            info = zipfile.ZipInfo(arcname, date_time=stored.revision.created_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            try:
                source = stored.file.open("rb")
            except FileNotFoundError:
                continue
            with source, archive.open(info, "w") as target:
                while chunk := source.read(256 * 1024):
                    target.write(chunk)
                    yield sink.drain()
            yield sink.drain()
    yield sink.drain()


@require_GET
@login_for_anonymous
def td_template_download(request, meeting_pk: int):
    meeting = access_meeting(request.user, meeting_pk, perm="documents.download_td_template")
    data = td_template(meeting)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    name = f"SG{meeting.study_group.number}-TD-template.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def toggle_digest(request, meeting_pk: int):
    """Subscribes to (or ends) the daily digest of a meeting's new documents."""
    meeting = access_meeting(request.user, meeting_pk, perm="documents.subscribe_digest")
    if request.POST.get("subscribe") == "0":
        unsubscribe_from_digest(meeting, user=request.user)
        messages.success(request, _("You will no longer get the daily digest of this meeting's documents."))
    else:
        subscribe_to_digest(meeting, user=request.user)
        messages.success(request, _("You will get a daily mail of this meeting's new and revised documents."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = meeting.get_absolute_url()
    return redirect(target)
