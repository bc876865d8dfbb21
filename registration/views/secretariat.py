"""The secretariat's pages: entities and focal points, a meeting's registrations, lists and letters."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from meetings.models import Meeting
from meetings.pdf_jobs import KINDS, newest_pdf_job, request_pdf_job
from meetings.queries import access_meeting
from sg17portal import errors
from sg17portal.paging import is_plain_page

from .. import pdf, queries, services
from ..forms import EntityForm, EntityImportForm, RegistrationFilterForm, SecretariatRegistrationForm
from ..fragments import registrations_version
from ..models import MemberEntity, Registration
from ..statistics import meeting_statistics
from ..windows import registration_window

LIST_PAGE_SIZE = 100
# How long a page of the registrations list is kept in the cache (its version makes each change show at once).
LIST_SECONDS = 600


@login_required
@permission_required("registration.manage_entities", raise_exception=True)
def entity_list(request):
    entities = MemberEntity.objects.select_related("associate_of").prefetch_related("focal_points")
    search = request.GET.get("q", "").strip()
    if search:
        entities = entities.filter(Q(name__icontains=search) | Q(focal_points__email__icontains=search)).distinct()
    entities = entities.annotate(
        members=Count("affiliations", filter=Q(affiliations__state="approved"), distinct=True)
    ).order_by("category", "name")
    page = Paginator(entities, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registration/entity_list.html", {"page": page, "search": search})


def _edit_entity(request, entity):
    form = EntityForm(request.POST or None, instance=entity)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_entity(form.instance, focal_points=form.cleaned_data["focal_point_emails"])
        except ValidationError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("%(entity)s is saved.") % {"entity": form.instance})
            return redirect("registration:entity", pk=form.instance.pk)
    return render(request, "registration/entity_form.html", {"form": form, "entity": entity})


@login_required
@permission_required("registration.manage_entities", raise_exception=True)
def entity_create(request):
    return _edit_entity(request, MemberEntity())


@login_required
def entity_edit(request, pk):
    return _edit_entity(request, queries.access_entity(request.user, pk, "registration.manage_entities"))


@login_required
@permission_required("registration.manage_entities", raise_exception=True)
def entity_import(request):
    form = EntityImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.import_entities(form.cleaned_data["file"])
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("%(created)d entities created, %(updated)d updated.")
                % {"created": outcome.created, "updated": outcome.updated},
            )
            return redirect("registration:entities")
    return render(request, "registration/entity_import.html", {"form": form, "problems": problems})


def _meeting(user, pk) -> Meeting:
    return access_meeting(
        user, pk, perm="registration.view_meeting_registrations", states=queries.STATES_WITH_REGISTRATIONS
    )


def _filtered(request, meeting):
    registrations = meeting.registrations.all()
    entities = MemberEntity.objects.filter(pk__in=registrations.values("entity_id")).order_by("name")
    form = RegistrationFilterForm(request.GET or None, entities=list(entities))
    return form, form.filter(registrations)


@login_required
@permission_required("registration.view_meeting_registrations", raise_exception=True)
def meeting_registrations(request, meeting_pk):
    meeting = _meeting(request.user, meeting_pk)
    query = request.GET.copy()
    query.pop("page", None)

    def listing() -> dict:
        form, registrations = _filtered(request, meeting)
        all_states = form.filter(meeting.registrations.all(), with_state=False)
        rows = registrations.select_related("delegate", "entity").order_by(
            "entity__name", "delegate__family_name", "delegate__given_name", "pk"
        )
        return {
            "form": form,
            "page": Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page")),
            "statistics": meeting_statistics(registrations, all_states=all_states),
        }

    # The filters, the counts and the table are the same for every member of the secretariat: a cached fragment per
    # address, language and version of the registrations (registration.fragments), made only when it is not there.
    # Only the plain list's pages are kept: filtered lists are made each time, so no one fills the cache by varying
    # an address.
    listed = SimpleLazyObject(listing)
    plain = is_plain_page(request)
    context = {
        "meeting": meeting,
        "form": SimpleLazyObject(lambda: listed["form"]),
        "page": SimpleLazyObject(lambda: listed["page"]),
        "statistics": SimpleLazyObject(lambda: listed["statistics"]),
        "query": query.urlencode(),
        "fragments_version": registrations_version(),
        "list_seconds": LIST_SECONDS if plain else 0,
    }
    return render(request, "registration/meeting_registrations.html", context)


class _Echo:
    def write(self, value):
        return value


@login_required
@permission_required("registration.view_meeting_registrations", raise_exception=True)
def meeting_registrations_csv(request, meeting_pk):
    meeting = _meeting(request.user, meeting_pk)
    _form, registrations = _filtered(request, meeting)
    rows = registrations.select_related("delegate", "entity").order_by("entity__name", "delegate__family_name", "pk")
    writer = csv.writer(_Echo())
    header = [
        _("Family name"),
        _("Given name"),
        _("E-mail"),
        _("Gender"),
        _("Entity"),
        _("Category"),
        _("Country"),
        _("Participation"),
        _("Head of delegation"),
        _("Fellowship"),
        _("Visa support"),
        _("State"),
        _("Late"),
        _("Approved automatically"),
        _("Registered at"),
    ]

    def lines():
        yield writer.writerow(header)
        for r in rows.iterator(chunk_size=500):
            yield writer.writerow(
                _cell(value)
                for value in [
                    r.delegate.family_name,
                    r.delegate.given_name,
                    r.delegate.email,
                    r.delegate.get_gender_display(),
                    r.entity.name,
                    r.entity.get_category_display(),
                    r.entity.country.name,
                    r.get_participation_display(),
                    _yes(r.head_of_delegation),
                    _yes(r.fellowship_requested),
                    _yes(r.visa_support_requested),
                    r.get_state_display(),
                    _yes(r.is_late),
                    _yes(r.approved_automatically),
                    r.created_at.isoformat(timespec="seconds"),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-meeting-{meeting.pk}.csv"'
    return response


def _cell(value) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("registration.view_meeting_registrations", raise_exception=True)
def participants_pdf(request, meeting_pk):
    """The list of participants is rendered by a worker. GET shows what it will hold and the last one asked for;
    POST asks a worker for it (or finds the one being made) and goes to the job's page."""
    meeting = _meeting(request.user, meeting_pk)
    if request.method == "POST":
        job = request_pdf_job(meeting, kind="participants", by=request.user)
        return redirect("meetings:pdf_job", pk=job.pk)
    context = {
        "meeting": meeting,
        "kind": KINDS["participants"],
        "approved": meeting.registrations.filter(state=Registration.State.APPROVED).count(),
        "newest": newest_pdf_job(meeting, kind="participants"),
    }
    return render(request, "registration/participants_pdf.html", context)


@login_required
def visa_letter_pdf(request, pk):
    registration = queries.access_registration(request.user, pk, "registration.issue_visa_letter")
    if not (
        registration.state == Registration.State.APPROVED
        and registration.visa_support_requested
        and not registration.meeting.is_virtual
    ):
        raise Http404
    response = HttpResponse(pdf.render_visa_letter(registration), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="visa-support-letter-{registration.pk}.pdf"'
    return response


@login_required
@permission_required("registration.register_someone", raise_exception=True)
def register_someone(request, meeting_pk):
    meeting = access_meeting(
        request.user,
        meeting_pk,
        perm="registration.register_someone",
        states=queries.STATES_TAKING_REGISTRATIONS,
    )
    window = registration_window(meeting)
    form = SecretariatRegistrationForm(request.POST or None, meeting=meeting, window=window)
    if request.method == "POST" and form.is_valid():
        delegate = form.cleaned_data["delegate"]
        try:
            registration = services.register(meeting, delegate=delegate, by=request.user, **form.service_arguments())
        except ValidationError as error:
            errors.add_to_form(form, error)
        else:
            messages.success(request, _("%(delegate)s is registered.") % {"delegate": delegate})
            return redirect(registration)
    return render(request, "registration/register_someone.html", {"meeting": meeting, "window": window, "form": form})
