"""The secretariat's pages: set up meetings, their side events and deadlines, and announce them."""

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView, View

from .. import display, extensions, queries, services
from ..deadlines import key_deadlines
from ..forms import CloneMeetingForm, DeadlineOverrideForm, MeetingForm, MeetingTextForm, SideEventForm
from ..models import Meeting, MeetingText, SideEvent


class SecretariatOnly(PermissionRequiredMixin):
    """Others get 403; anonymous visitors are sent to log in."""

    permission_required = "meetings.manage_meetings"


def _managed_meeting(user, pk, queryset) -> Meeting:
    return queries.access_meeting(user, pk, perm="meetings.manage_meetings", queryset=queryset)


def _manage_url(meeting) -> str:
    return reverse("meetings:manage", kwargs={"pk": meeting.pk})


def _tell_addendum(request, meeting, *, before: int) -> None:
    """Names the addendum the change just issued, if it issued one (``before``: the addendum count before it)."""
    addendum = queries.latest_addendum(meeting.pk)
    if addendum is not None and addendum.number > before:
        messages.info(
            request,
            _("%(reference)s was issued with what changed; registrants are told by e-mail.")
            % {"reference": addendum.reference_text},
        )


class ServiceFormMixin:
    """Saves through a service; a ValidationError it raises lands on the form and nothing is kept."""

    def call_service(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.call_service(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class MeetingList(SecretariatOnly, ListView):
    template_name = "meetings/manage/meeting_list.html"
    context_object_name = "meetings"

    def get_queryset(self):
        return Meeting.objects.select_related("study_group").order_by("-first_day", "pk")


class MeetingCreate(SecretariatOnly, ServiceFormMixin, CreateView):
    form_class = MeetingForm
    template_name = "meetings/manage/meeting_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": _("Create the meeting")}

    def call_service(self, form):
        meeting = services.save_meeting(form.instance, by=self.request.user)
        messages.success(self.request, _("The meeting was created and its key deadlines computed."))
        return meeting

    def get_success_url(self):
        return _manage_url(self.object)


class MeetingEdit(SecretariatOnly, ServiceFormMixin, UpdateView):
    form_class = MeetingForm
    template_name = "meetings/manage/meeting_form.html"

    def get_object(self, queryset=None):
        return _managed_meeting(self.request.user, self.kwargs["pk"], Meeting.objects.select_related("study_group"))

    def call_service(self, form):
        before = queries.addendum_count(form.instance.pk)
        meeting = services.save_meeting(form.instance, by=self.request.user)
        messages.success(self.request, _("The meeting was saved; deadlines not set by hand follow its first day."))
        _tell_addendum(self.request, meeting, before=before)
        return meeting

    def get_success_url(self):
        return _manage_url(self.object)


class MeetingManage(SecretariatOnly, DetailView):
    """The secretariat's view of one meeting: state, deadlines with their origin, side events, actions."""

    template_name = "meetings/manage/meeting_manage.html"

    def get_object(self, queryset=None):
        return _managed_meeting(self.request.user, self.kwargs["pk"], queries.meeting_with_details())

    def get_context_data(self, **kwargs):
        meeting = self.object
        now = timezone.now()
        return super().get_context_data(
            day_range=display.day_range_text(meeting.first_day, meeting.last_day),
            manage_links=[
                (link.label, reverse(link.url_name, args=[meeting.pk])) for link in extensions.manage_links()
            ],
            zone_label=display.zone_label(meeting.time_zone),
            other_languages=[(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE],
            deadlines=[(d, display.deadline_status(d, now)) for d in meeting.deadlines.all()],
            side_events=[
                (e, e.starts_at.astimezone(meeting.zone), e.ends_at.astimezone(meeting.zone))
                for e in meeting.side_events.all()
            ],
            **kwargs,
        )


class MeetingAnnounce(SecretariatOnly, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        meeting = _managed_meeting(request.user, pk, Meeting.objects.all())
        if meeting.state != Meeting.State.DRAFT:
            messages.info(request, _("This meeting was already announced."))
            return redirect(_manage_url(meeting))
        try:
            meeting = services.announce_meeting(meeting, by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request,
                _("The meeting is announced: its page, %(reference)s and its calendar are public.")
                % {"reference": meeting.letter_reference_text},
            )
        return redirect(_manage_url(meeting))


class DeadlineOverride(SecretariatOnly, ServiceFormMixin, UpdateView):
    form_class = DeadlineOverrideForm
    template_name = "meetings/manage/deadline_form.html"
    context_object_name = "deadline"

    def get_object(self, queryset=None):
        return queries.access_key_deadline(
            self.request.user, self.kwargs["pk"], self.kwargs["kind"], perm="meetings.manage_meetings"
        )

    def get_form_kwargs(self):
        # The form works on a copy: a refused day must not show on the page as the deadline's current day.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.object)}

    def get_context_data(self, **kwargs):
        meeting = self.object.meeting
        computed = key_deadlines(meeting.first_day, meeting.format).get(self.object.kind)
        return super().get_context_data(meeting=meeting, computed_day=computed, **kwargs)

    def call_service(self, form):
        before = queries.addendum_count(self.object.meeting_id)
        deadline = services.override_key_deadline(
            self.object, day=form.cleaned_data["day"], reason=form.cleaned_data["reason"], by=self.request.user
        )
        messages.success(
            self.request,
            _("The deadline “%(kind)s” is now %(day)s.")
            % {"kind": deadline.get_kind_display(), "day": display.day_text(deadline.day)},
        )
        _tell_addendum(self.request, deadline.meeting, before=before)
        return deadline

    def get_success_url(self):
        return _manage_url(self.object.meeting)


class DeadlineReset(SecretariatOnly, View):
    http_method_names = ["post"]

    def post(self, request, pk, kind):
        deadline = queries.access_key_deadline(request.user, pk, kind, perm="meetings.manage_meetings")
        before = queries.addendum_count(pk)
        if services.reset_key_deadline(deadline, by=request.user) is None:
            messages.success(request, _("That deadline no longer applies to this meeting and was removed."))
        else:
            messages.success(request, _("The deadline follows the meeting's first day again."))
        _tell_addendum(request, deadline.meeting, before=before)
        return redirect(_manage_url(deadline.meeting))


class SideEventMixin(SecretariatOnly, ServiceFormMixin):
    form_class = SideEventForm
    template_name = "meetings/manage/side_event_form.html"

    def dispatch(self, request, *args, **kwargs):
        # Authorize before fetching anything.
        if not self.has_permission():
            return self.handle_no_permission()
        self.meeting = _managed_meeting(request.user, kwargs["pk"], Meeting.objects.select_related("study_group"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def call_service(self, form):
        before = queries.addendum_count(self.meeting.pk)
        side_event = services.save_side_event(form.instance, by=self.request.user)
        messages.success(self.request, _("The side event was saved."))
        _tell_addendum(self.request, self.meeting, before=before)
        return side_event

    def get_success_url(self):
        return _manage_url(self.meeting)


class SideEventCreate(SideEventMixin, CreateView):
    pass


class SideEventEdit(SideEventMixin, UpdateView):
    pk_url_kwarg = "event_pk"

    def get_queryset(self):
        return SideEvent.objects.filter(meeting=self.meeting)


class SideEventDelete(SecretariatOnly, View):
    http_method_names = ["post"]

    def post(self, request, pk, event_pk):
        side_event = queries.access_side_event(request.user, pk, event_pk, perm="meetings.manage_meetings")
        before = queries.addendum_count(side_event.meeting_id)
        services.delete_side_event(side_event, by=request.user)
        messages.success(request, _("The side event %(title)s was removed.") % {"title": side_event.title})
        _tell_addendum(request, side_event.meeting, before=before)
        return redirect(_manage_url(side_event.meeting))


class MeetingClone(SecretariatOnly, View):
    """A new draft meeting from a previous one."""

    template_name = "meetings/manage/clone_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.source = _managed_meeting(request.user, kwargs["pk"], queries.meeting_with_details())
        return super().dispatch(request, *args, **kwargs)

    def _render(self, form):
        context = {"source": self.source, "form": form, "side_events": self.source.side_events.all()}
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self._render(CloneMeetingForm(source=self.source))

    def post(self, request, pk):
        form = CloneMeetingForm(request.POST, source=self.source)
        if not form.is_valid():
            return self._render(form)
        try:
            meeting = services.clone_meeting(self.source, first_day=form.cleaned_data["first_day"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form)
        messages.success(
            request,
            _("The new meeting is a draft copied from %(source)s, its key deadlines computed from its first day.")
            % {"source": self.source},
        )
        return redirect(_manage_url(meeting))


class MeetingTexts(SecretariatOnly, View):
    """The meeting's own texts (title, practical information, Annex B) in one of the other official languages.

    What is left empty is shown in English on the letter and the meeting's page, which say so.
    """

    template_name = "meetings/manage/meeting_texts.html"

    def get(self, request, pk, language):
        return self.render(MeetingTextForm(instance=self.text(pk, language), language=language))

    def post(self, request, pk, language):
        form = MeetingTextForm(request.POST, instance=self.text(pk, language), language=language)
        if not form.is_valid():
            return self.render(form)
        form.save()
        messages.success(
            request,
            _("The meeting's texts in %(language)s were saved.") % {"language": dict(settings.LANGUAGES)[language]},
        )
        return redirect(_manage_url(self.meeting))

    def text(self, pk, language) -> MeetingText:
        """The meeting's texts in ``language`` (a new row if it has none yet); 404 for the default language or one
        the portal does not offer."""
        self.meeting = _managed_meeting(self.request.user, pk, Meeting.objects.select_related("study_group"))
        if language not in dict(settings.LANGUAGES) or language == settings.LANGUAGE_CODE:
            raise Http404(_("No such language."))
        self.language = language
        return MeetingText.objects.filter(meeting=self.meeting, language=language).first() or MeetingText(
            meeting=self.meeting, language=language
        )

    def render(self, form):
        context = {
            "meeting": self.meeting,
            "form": form,
            "language_code": self.language,
            "language_name": dict(settings.LANGUAGES)[self.language],
            "is_bidi": self.language in settings.LANGUAGES_BIDI,
        }
        return render(self.request, self.template_name, context)
