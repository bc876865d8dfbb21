import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import Document, Kind
from meetings.models import Question
from sg17portal.text import LineFormField, ParagraphsFormField

from .models import AgendaItem
from .outline import OutlineError, parse_outline


class DraftForm(forms.Form):
    """Every form that changes a draft carries the revision the page was built on (the optimistic lock)."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


def _questions_of(meeting):
    return Question.objects.filter(study_group=meeting.study_group_id).select_related("study_group")


class AgendaItemForm(DraftForm):
    title = LineFormField(label=_("Title"), max_length=500)
    description = ParagraphsFormField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    working_party = forms.CharField(
        label=_("Working party"), max_length=50, required=False, help_text=_('For example "WP1/17" or "Plenary".')
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"), queryset=Question.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("The contributions and TDs of this meeting the item treats."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = _questions_of(meeting)
        documents = self.fields["documents"]
        documents.queryset = (
            Document.objects.filter(meeting=meeting, kind__in=[Kind.CONTRIBUTION, Kind.TD])
            .select_related("study_group")
            .order_by("kind", "series", "number")
        )
        documents.label_from_instance = lambda document: f"{document.display_name} – {document.title[:90]}"


class AddAgendaItemForm(AgendaItemForm):
    parent = forms.ModelChoiceField(
        label=_("Under"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("(top level)"),
        help_text=_("Leave at top level for a numbered item; choose an item to add a sub-item under it."),
    )

    field_order = ["parent", "title", "description", "working_party", "questions", "documents"]

    def __init__(self, *args, meeting, parents=(), **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        field = self.fields["parent"]
        field.queryset = AgendaItem.objects.filter(pk__in=[node.item.pk for node in parents])
        labels = {node.item.pk: f"{node.label} {node.title}" for node in parents}
        field.label_from_instance = lambda item: labels.get(item.pk, item.title)


class ShiftForm(DraftForm):
    direction = forms.ChoiceField(
        choices=[("up", _("Up")), ("down", _("Down")), ("indent", _("Indent")), ("outdent", _("Outdent"))]
    )


class MoveForm(DraftForm):
    parent = forms.IntegerField(required=False, min_value=1)
    index = forms.IntegerField(min_value=0)


class OutlineForm(DraftForm):
    text = forms.CharField(
        label=_("Agenda as text"),
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
        help_text=_(
            "One item per line: “1. Opening”, sub-items “a) …” under it, bullets “· …” under those. "
            "Lines before the first item (titles, notes) are skipped."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace the items of the draft"),
        required=False,
        help_text=_("Otherwise the pasted items are added after the existing ones."),
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            self.outline = parse_outline(text)
        except OutlineError as error:
            raise forms.ValidationError(str(error)) from error
        return text


class PublishForm(DraftForm):
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("Shown with the version and in the notice to delegates, e.g. “Q4/17 moved to Tuesday”."),
    )


class PublishAgendaForm(PublishForm):
    issue_as_td = forms.BooleanField(
        label=_("Issue as a TD"),
        required=False,
        initial=True,
        help_text=_("Its PDF becomes the meeting's agenda TD, or the next revision of it."),
    )

    def __init__(self, *args, td=None, **kwargs):
        super().__init__(*args, **kwargs)
        if td is not None:
            self.fields["issue_as_td"].label = _("Issue as the next revision of %(td)s") % {"td": td.base_name}


class SessionForm(DraftForm):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    title = LineFormField(label=_("Title"), max_length=200, help_text=_('For example "Q4/17" or "Closing plenary".'))
    room = forms.CharField(
        label=_("Room"), max_length=100, required=False, help_text=_("Leave empty for a virtual session.")
    )
    captioning = forms.BooleanField(label=_("Captioning"), required=False)
    remote_participation = forms.BooleanField(label=_("Remote participation"), required=False, initial=True)
    join_url = forms.URLField(
        label=_("Remote-participation link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to delegates whose registration for the meeting is approved."),
    )
    questions = forms.ModelMultipleChoiceField(
        label=_("Questions"), queryset=Question.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    agenda_items = forms.MultipleChoiceField(
        label=_("Agenda items"), choices=(), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, meeting, agenda=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["questions"].queryset = _questions_of(meeting)
        self.fields["agenda_items"].choices = [
            (str(uid), f"{node.label} {node.title}") for uid, node in (agenda or {}).items()
        ]
        self.fields["day"].help_text = _("Times are in the meeting's zone, %(zone)s.") % {"zone": meeting.time_zone}

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start and end:
            if end <= start:
                self.add_error("end", _("A session ends after it starts, on the same day."))
            else:
                zone = self.meeting.zone
                data["starts_at"] = datetime.datetime.combine(day, start, tzinfo=zone)
                data["ends_at"] = datetime.datetime.combine(day, end, tzinfo=zone)
        return data

    @staticmethod
    def initial_for(session, zone) -> dict:
        starts, ends = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        return {
            "day": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "title": session.title,
            "room": session.room,
            "captioning": session.captioning,
            "remote_participation": session.remote_participation,
            "join_url": session.join_url,
            "questions": list(session.questions.all()),
            "agenda_items": [str(uid) for uid in session.agenda_item_uids],
        }

    def session_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "title": data["title"],
            "room": data["room"],
            "captioning": data["captioning"],
            "remote_participation": data["remote_participation"],
            "join_url": data["join_url"] if data["remote_participation"] else "",
            "questions": data["questions"],
            "agenda_item_uids": data["agenda_items"],
        }


class CompareForm(forms.Form):
    old = forms.ChoiceField(label=_("From"))
    new = forms.ChoiceField(label=_("To"))

    def __init__(self, *args, numbers, with_draft, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(n), _("version %(number)s") % {"number": n}) for n in sorted(numbers)]
        if with_draft:
            choices.append(("draft", _("draft")))
        self.fields["old"].choices = self.fields["new"].choices = choices
        # Opened without a choice, the page offers the last two on the list (the latest version against the
        # draft for those who read drafts), never a version against itself.
        if len(choices) >= 2:
            self.initial.setdefault("old", choices[-2][0])
            self.initial.setdefault("new", choices[-1][0])

    def clean(self):
        data = super().clean()
        if data.get("old") and data.get("old") == data.get("new"):
            self.add_error("new", _("Choose a version other than the one to compare from."))
        return data

    @staticmethod
    def number(value):
        return None if value == "draft" else int(value)
