"""Input of the secretariat's meeting pages. The rules themselves live in the models' ``clean()``."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sg17portal.dates import format_date_range
from sg17portal.forms import SaysWhatToDo

from . import display
from .models import KeyDeadline, Meeting, MeetingText, SideEvent, StudyGroup, StudyPeriod


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MeetingChoiceField(forms.ModelChoiceField):
    """Meetings named with their dates: two "Hybrid meeting of Study Group 17" are told apart."""

    def label_from_instance(self, obj):
        return f"{obj.display_title}, {format_date_range(obj.first_day, obj.last_day)}"


class QuestionsField(forms.ModelMultipleChoiceField):
    """Questions as "Q4/17: Security architecture and network security"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj}: {obj.title}" if obj.title else str(obj)


def _next_letter_help() -> str:
    """What announcing gives a letter left without reference, per study group: the numbers are shared with the
    letters posted as documents, so they are read from the counter and never written here."""
    upcoming = ", ".join(
        f"TSB Collective letter {group.collective_letter_counter + 1}/{group.number}"
        for group in StudyGroup.objects.order_by("number")
    )
    text = _("Left empty, the study group's next number is given when announcing")
    return f"{text} ({upcoming})." if upcoming else f"{text}."


class MeetingForm(SaysWhatToDo, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "study_group",
            "study_period",
            "title",
            "format",
            "first_day",
            "last_day",
            "session_start",
            "session_end",
            "time_zone",
            "venue",
            "remote_tool",
            "join_details",
            "working_language",
            "interpretation",
            "captioning",
            "late_registration_allowed",
            "letter_reference",
            "letter_date",
            "contact_reference",
            "signatory",
            "signatory_title",
            "practical_information",
            "draft_agenda",
        ]
        widgets = {
            "first_day": DateInput(),
            "last_day": DateInput(),
            "letter_date": DateInput(),
            "session_start": TimeInput(),
            "session_end": TimeInput(),
            "join_details": forms.Textarea(attrs={"rows": 3}),
            "practical_information": forms.Textarea(attrs={"rows": 4}),
            "draft_agenda": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "session_start": _("In the meeting's time zone."),
            "captioning": _('As the letter says it, e.g. "captioning for the SG17 closing plenary on 3 September".'),
            "letter_date": _("Left empty, the day of announcing."),
            "practical_information": _("Added to Annex A of the letter after the standard practical information."),
            "draft_agenda": _('One item per line: "1. Opening", "a) Sub-item", "· Bullet".'),
        }

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("study_group", "study_period"):
            queryset = self.fields[name].queryset
            if self.instance.pk is None and not self.initial.get(name) and len(queryset) == 1:
                self.initial[name] = queryset[0].pk
        self.fields["study_group"].queryset = StudyGroup.objects.order_by("number")
        self.fields["letter_reference"].help_text = _next_letter_help()
        self.fields["study_period"].queryset = StudyPeriod.objects.order_by("-first_year")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Meeting"),
                "study_group",
                "study_period",
                "title",
                "format",
                "first_day",
                "last_day",
                "session_start",
                "session_end",
                "time_zone",
            ),
            Fieldset(
                _("Place and participation"),
                "venue",
                "remote_tool",
                "join_details",
                "working_language",
                "interpretation",
                "captioning",
                "late_registration_allowed",
            ),
            Fieldset(
                _("Collective letter"),
                "letter_reference",
                "letter_date",
                "contact_reference",
                "signatory",
                "signatory_title",
                "practical_information",
                "draft_agenda",
            ),
        )
        self.helper.add_input(Submit("save", submit_label or _("Save the meeting")))


class MeetingZoneDateTimeWidget(forms.SplitDateTimeWidget):
    """A date and a time as read on a wall clock in the meeting's zone."""

    def __init__(self, zone, attrs=None):
        super().__init__(attrs, date_format="%Y-%m-%d", time_format="%H:%M")
        self.zone = zone
        self.widgets[0].input_type = "date"
        self.widgets[1].input_type = "time"

    def decompress(self, value):
        if value is None:
            return [None, None]
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.astimezone(self.zone)
        return [value.date(), value.time().replace(second=0, microsecond=0)]


class MeetingZoneDateTimeField(forms.SplitDateTimeField):
    """A date and a time entered in the meeting's zone, whatever zone the person typing is in."""

    def __init__(self, *, zone, **kwargs):
        self.zone = zone
        super().__init__(widget=MeetingZoneDateTimeWidget(zone), **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values or time in self.empty_values:
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        return datetime.datetime.combine(day, time, tzinfo=self.zone)


def _https_by_default(field, **kwargs):
    """Links typed without a scheme are taken as https (Django 6's default, chosen now)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class SideEventForm(SaysWhatToDo, forms.ModelForm):
    class Meta:
        model = SideEvent
        fields = ["title", "kind", "starts_at", "ends_at", "registration_url"]
        formfield_callback = _https_by_default
        help_texts = {
            "title": _('As the letter names it: "SG17 Overview for Newcomers", "28th JCA-IdM meeting".'),
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        zone_text = display.zone_label(meeting.time_zone)
        for name, label in (("starts_at", _("Starts")), ("ends_at", _("Ends"))):
            field = MeetingZoneDateTimeField(
                zone=meeting.zone, label=label, help_text=_("Day and time, %(zone)s.") % {"zone": zone_text}
            )
            # Two inputs under one visible label: each says which half of the field it is.
            field.widget.widgets[0].attrs["aria-label"] = _("%(field)s: day") % {"field": label}
            field.widget.widgets[1].attrs["aria-label"] = _("%(field)s: time, %(zone)s") % {
                "field": label,
                "zone": zone_text,
            }
            self.fields[name] = field
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("starts_at", datetime.datetime.combine(meeting.first_day, meeting.session_start))
            start = datetime.datetime.combine(meeting.first_day, meeting.session_start)
            self.initial.setdefault("ends_at", start + datetime.timedelta(hours=1))
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save the side event")))


class DeadlineOverrideForm(SaysWhatToDo, forms.ModelForm):
    class Meta:
        model = KeyDeadline
        fields = ["day", "reason"]
        widgets = {"day": DateInput()}
        labels = {"day": _("New day")}
        help_texts = {"reason": _("Shown to the secretariat; required when a deadline differs from the computed one.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Validated as the hand-set deadline it is about to become.
        self.instance.is_manual = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Set this deadline")))


class CloneMeetingForm(forms.Form):
    first_day = forms.DateField(
        label=_("First day of the new meeting"),
        widget=DateInput(),
        help_text=_("The new meeting lasts as many days; its key deadlines are computed from this day."),
    )

    def __init__(self, *args, source: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.helper = FormHelper()
        self.helper.add_input(Submit("clone", _("Create the new meeting as a draft")))

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        if day == self.source.first_day:
            raise forms.ValidationError(_("The new meeting needs another first day than the one it is copied from."))
        return day


class MeetingTextForm(SaysWhatToDo, forms.ModelForm):
    """The meeting's own texts in one other language; every field may stay empty (English is shown instead)."""

    class Meta:
        model = MeetingText
        fields = ["title", "practical_information", "draft_agenda"]
        widgets = {
            "practical_information": forms.Textarea(attrs={"rows": 6}),
            "draft_agenda": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "title": _("Leave empty to use the usual title, translated, or the English title if the meeting has one."),
            "practical_information": _("Added to Annex A of the letter. Leave empty to show the English text."),
            "draft_agenda": _("One agenda item per line, as in English. Leave empty to show the English agenda."),
        }

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Typed in that language: the browser's spelling checker and the direction follow it.
        for field in self.fields.values():
            field.widget.attrs.update(lang=language, dir="rtl" if language in settings.LANGUAGES_BIDI else "ltr")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save the texts")))
