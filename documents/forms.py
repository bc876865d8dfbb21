"""Input of the documents pages. Files are checked by content in the services, which say why one is refused."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.forms import MeetingChoiceField, QuestionsField
from meetings.models import Meeting, Question
from registration.models import MemberEntity
from sg17portal.forms import SaysWhatToDo
from sg17portal.text import LineFormField, ParagraphsFormField

from .models import ABSTRACT_MAX_LENGTH, Kind, Scope, TdType
from .queries import SORTS, TYPE_FILTERS, DocumentFilters, entities_to_post_for
from .uploads import ALLOWED_EXTENSIONS

ACCEPT = ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files; emptiness, size and type are judged by ``documents.uploads`` with its own messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("allow_empty_file", True)
        kwargs.setdefault(
            "help_text",
            _("Word (.docx, .doc), Excel (.xlsx), PowerPoint (.pptx), PDF, ZIP or plain text; several files at once."),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def _questions_field(meeting: Meeting) -> forms.ModelMultipleChoiceField:
    return QuestionsField(
        label=_("Questions"),
        queryset=Question.objects.filter(study_group=meeting.study_group).select_related("study_group"),
        required=False,
    )


class ContributionForm(SaysWhatToDo, forms.Form):
    entity = forms.ModelChoiceField(label=_("Source (your entity)"), queryset=MemberEntity.objects.none())
    title = LineFormField(label=_("Title"), max_length=500)
    abstract = ParagraphsFormField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=ABSTRACT_MAX_LENGTH
    )
    translation_requested = forms.BooleanField(
        label=_("Translation requested"),
        required=False,
        help_text=_("Only until the deadline for contributions for which translation is requested."),
    )
    files = MultipleFileField(label=_("Files"))

    def __init__(self, *args, meeting: Meeting, user, secretariat: bool, translation_open: bool, **kwargs):
        super().__init__(*args, **kwargs)
        entities = entities_to_post_for(user)
        self.fields["entity"].queryset = entities
        if not secretariat and not self.is_bound:  # what the empty form shows chosen
            own = list(entities[:2])
            if len(own) == 1:
                self.fields["entity"].initial = own[0].pk
        self.fields["questions"] = _questions_field(meeting)
        self.order_fields(["entity", "title", "questions", "abstract", "translation_requested", "files"])
        if not translation_open:
            del self.fields["translation_requested"]


class RevisionForm(SaysWhatToDo, forms.Form):
    note = forms.CharField(
        label=_("What changed"), max_length=500, required=False, help_text=_("Shown in the revision history.")
    )
    files = MultipleFileField(label=_("Files of the new revision"))


class WithdrawForm(SaysWhatToDo, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


SECRETARIAT_TYPES = [*TdType.choices, (Kind.COLLECTIVE_LETTER.value, Kind.COLLECTIVE_LETTER.label)]


class TdForm(SaysWhatToDo, forms.Form):
    """The secretariat posts a TD (or a collective letter) directly."""

    td_type = forms.ChoiceField(label=_("Type"), choices=SECRETARIAT_TYPES, initial=TdType.GENERAL)
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.PLEN)
    title = LineFormField(label=_("Title"), max_length=500)
    source = forms.CharField(label=_("Source"), max_length=300, help_text=_('"Editor", "Rapporteur Q4/17", "TSB" …'))
    abstract = ParagraphsFormField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=ABSTRACT_MAX_LENGTH
    )
    files = MultipleFileField(label=_("Files"))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"] = _questions_field(meeting)
        self.order_fields(["td_type", "scope", "title", "source", "questions", "abstract", "files"])


class TdDraftForm(SaysWhatToDo, forms.Form):
    """A member sends a draft TD to the secretariat."""

    subject = forms.CharField(label=_("Title of the draft"), max_length=500)
    message = ParagraphsFormField(
        label=_("Message to the secretariat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )
    files = MultipleFileField(label=_("Draft TD (on the TD template)"))


class TdDraftPostForm(SaysWhatToDo, forms.Form):
    """The secretariat checks a draft and gives it what a TD needs before numbering it."""

    meeting = MeetingChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    td_type = forms.ChoiceField(label=_("Type"), choices=TdType.choices, initial=TdType.GENERAL)
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices, initial=Scope.PLEN)
    title = LineFormField(label=_("Title"), max_length=500)
    source = forms.CharField(label=_("Source"), max_length=300)
    questions = QuestionsField(label=_("Questions"), queryset=Question.objects.none(), required=False)
    abstract = ParagraphsFormField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=ABSTRACT_MAX_LENGTH
    )

    def __init__(self, *args, meetings, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["questions"].queryset = questions

    def clean(self):
        data = super().clean()
        meeting, questions = data.get("meeting"), data.get("questions")
        if meeting and questions and any(q.study_group_id != meeting.study_group_id for q in questions):
            self.add_error("questions", _("Choose Questions of the meeting's study group."))
        return data


class TdDraftDeclineForm(SaysWhatToDo, forms.Form):
    reason = ParagraphsFormField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Sent to the person who sent it."),
    )


TD_TYPE_CHOICES = [("", _("All TDs")), *TdType.choices]
TYPE_CHOICES = [
    ("", _("All kinds")),
    ("C", _("Contributions")),
    ("TD", _("All TDs")),
    *TdType.choices,
    ("COL", _("Collective letters")),
]
SORT_CHOICES = [
    ("number", _("Number")),
    ("-number", _("Number, last first")),
    ("title", _("Title")),
    ("source", _("Source")),
    ("-date", _("Newest first")),
    ("date", _("Oldest first")),
]


class DocumentFilterForm(SaysWhatToDo, forms.Form):
    """The filters of a meeting's document list, read from the query string."""

    q = forms.CharField(
        label=_("Search number, title, source or abstract"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    type = forms.ChoiceField(
        label=_("Kind"), choices=TYPE_CHOICES, required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    question = forms.TypedChoiceField(
        label=_("Question"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    source = forms.ChoiceField(label=_("Source"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    since = forms.DateField(
        label=_("New since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, questions, sources, type_choices=TYPE_CHOICES, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices
        # Read when the form is shown or a Question or source is chosen, not for a plain list whose filters are
        # rendered from the cache (an empty value is valid without looking at the choices).
        self.fields["question"].choices = lambda: [
            ("", _("All Questions")),
            *[(q.pk, f"Q{q.number}/{q.study_group.number}") for q in questions],
        ]
        self.fields["source"].choices = lambda: [("", _("All sources")), *[(s, s) for s in sources]]

    def filters(self, *, fixed_types: tuple[str, ...] = ()) -> DocumentFilters:
        data = self.cleaned_data if self.is_valid() else {}
        chosen = data.get("type") or ""
        types = (chosen,) if chosen in TYPE_FILTERS else fixed_types
        sort = data.get("sort") or "number"
        return DocumentFilters(
            types=types,
            question=data.get("question"),
            source=data.get("source") or "",
            text=data.get("q") or "",
            since=data.get("since"),
            sort=sort if sort in SORTS else "number",
        )
