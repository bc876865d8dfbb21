from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import User
from sg17portal.dates import format_date
from sg17portal.forms import SaysWhatToDo

from .models import Affiliation, MemberEntity, Registration
from .queries import affiliation_states, entities_of_focal_point

Category = MemberEntity.Category
CHANGEABLE = (
    "participation",
    "head_of_delegation",
    "fellowship_requested",
    "visa_support_requested",
    "nationality",
    "passport_number",
)


def _helper(label=None, *, method="post", form_tag=True) -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.form_tag = form_tag
    if label:
        helper.add_input(Submit("submit", label))
    return helper


class RegistrationForm(SaysWhatToDo, forms.Form):
    """What a delegate fills in; the service checks every rule again in its transaction."""

    entity = forms.TypedChoiceField(label=_("Member entity you represent"), coerce=int)
    participation = forms.ChoiceField(
        label=_("Participation"), choices=Registration.Participation.choices, widget=forms.RadioSelect
    )
    head_of_delegation = forms.BooleanField(
        label=_("I am the head of delegation"),
        required=False,
        help_text=_("Administrations of Member States only."),
    )
    fellowship_requested = forms.BooleanField(label=_("I request a fellowship"), required=False)
    visa_support_requested = forms.BooleanField(label=_("I need a visa-support letter"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    passport_number = forms.CharField(label=_("Passport number"), max_length=40, required=False)

    def __init__(self, *args, meeting, window, delegate=None, for_secretariat=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting, self.window, self.for_secretariat = meeting, window, for_secretariat
        self.entities = {e.pk: e for e in MemberEntity.objects.order_by("name")}
        self.fields["entity"].choices = self._entity_choices(delegate)
        if meeting.is_virtual:
            self.fields["participation"].choices = [
                (Registration.Participation.REMOTE, _("Remote (the meeting is virtual)"))
            ]
        self.fields["participation"].initial = Registration.Participation.REMOTE
        self.closed_notes = []
        for name, deadline, is_open in (
            ("fellowship_requested", window.fellowship, window.fellowship_open),
            ("visa_support_requested", window.visa, window.visa_open),
        ):
            if deadline is None:
                del self.fields[name]
            elif not is_open and not for_secretariat:
                del self.fields[name]
                self.closed_notes.append((name, deadline.day))
            else:
                self.fields[name].help_text = _("Until %(day)s.") % {"day": format_date(deadline.day)}
        if "visa_support_requested" in self.fields:
            self.fields["nationality"].choices = [("", "---------"), *countries]
            self.fields["nationality"].help_text = _("For the visa-support letter only.")
            self.fields["passport_number"].help_text = _("For the visa-support letter only.")
            # Asked only once the visa letter is asked for (static/js/portal.js reveals them).
            for name in ("nationality", "passport_number"):
                self.fields[name].widget.attrs["data-reveal-when"] = "id_visa_support_requested"
        else:
            del self.fields["nationality"]
            del self.fields["passport_number"]
        self.helper = _helper(_("Register"))

    def _entity_choices(self, delegate):
        if delegate is None:
            return [("", "---------"), *((pk, str(e)) for pk, e in self.entities.items())]
        states = affiliation_states(delegate)  # kept: the form's cached fragment is keyed by them
        focal = entities_of_focal_point(delegate)  # kept for the request: the menu asks it too
        mine, waiting, others = [], [], []
        for pk, entity in self.entities.items():
            state = states.get(pk)
            if state == Affiliation.State.APPROVED or pk in focal:
                mine.append((pk, str(entity)))
            elif state == Affiliation.State.PENDING:
                waiting.append((pk, str(entity)))
            elif state != Affiliation.State.DECLINED:
                others.append((pk, str(entity)))
        choices = [("", "---------")]
        if mine:
            choices.append((_("Your entities"), mine))
        if waiting:
            choices.append((_("Your affiliation awaits confirmation"), waiting))
        if others:
            choices.append((_("Other entities (the focal point also confirms your affiliation)"), others))
        return choices

    def clean_entity(self):
        return self.entities[self.cleaned_data["entity"]]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "entity": data["entity"],
            "participation": data["participation"],
            "head_of_delegation": data["head_of_delegation"],
            "fellowship_requested": data.get("fellowship_requested", False),
            "visa_support_requested": data.get("visa_support_requested", False),
            "nationality": data.get("nationality", ""),
            "passport_number": data.get("passport_number", ""),
        }


class RegistrationChangeForm(RegistrationForm):
    """The delegate changes their registration: everything but the entity (another entity, another decision)."""

    def __init__(self, *args, registration, **kwargs):
        initial = {name: getattr(registration, name) for name in CHANGEABLE}
        super().__init__(*args, initial=initial, **kwargs)
        del self.fields["entity"]
        self.entity = registration.entity
        # A request already made stays when its deadline has passed; the field is shown, checked, to keep it.
        for name, deadline in (
            ("fellowship_requested", self.window.fellowship),
            ("visa_support_requested", self.window.visa),
        ):
            if name not in self.fields and getattr(registration, name) and deadline is not None:
                self.fields[name] = forms.BooleanField(
                    label=_("Keep my fellowship request")
                    if name == "fellowship_requested"
                    else _("Keep my visa-support request"),
                    required=False,
                )
                self.closed_notes = [note for note in self.closed_notes if note[0] != name]
        if "visa_support_requested" in self.fields and "nationality" not in self.fields:
            self.fields["nationality"] = forms.ChoiceField(label=_("Nationality"), required=False)
            self.fields["nationality"].choices = [("", "---------"), *countries]
            self.fields["passport_number"] = forms.CharField(label=_("Passport number"), max_length=40, required=False)
        self.helper = _helper(_("Save the changes"))

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "participation": data["participation"],
            "head_of_delegation": data["head_of_delegation"],
            "fellowship_requested": data.get("fellowship_requested", False),
            "visa_support_requested": data.get("visa_support_requested", False),
            "nationality": data.get("nationality", ""),
            "passport_number": data.get("passport_number", ""),
        }


class SecretariatRegistrationForm(RegistrationForm):
    """The secretariat registers someone, at any time, and may approve at once."""

    delegate = forms.EmailField(label=_("E-mail address of the delegate's account"))
    approve_at_once = forms.BooleanField(label=_("Approve at once"), required=False)

    field_order = ["delegate", "entity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, for_secretariat=True, **kwargs)
        self.order_fields(self.field_order)
        self.helper = _helper(_("Register this delegate"))

    def clean_delegate(self):
        email = self.cleaned_data["delegate"].lower()
        user = User.objects.annotate(email_lower=Lower("email")).filter(email_lower=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this address: the delegate must sign up first."))
        return user

    def service_arguments(self) -> dict:
        return {**super().service_arguments(), "approve_at_once": self.cleaned_data["approve_at_once"]}


class ReasonForm(SaysWhatToDo, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RejectForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].label = _("Reason to reject")
        self.fields["reason"].help_text = _("Required: the delegate reads it.")
        self.fields["reason"].error_messages["required"] = _("Give the delegate a reason for the rejection.")


class BulkDecisionForm(SaysWhatToDo, forms.Form):
    APPROVE, REJECT = "approve", "reject"

    registration = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Which ids the person may decide is checked by the view (a foreign id is a 404); here only their form.
        self.fields["registration"].choices = [(v, v) for v in self.data.getlist("registration") if v.isdigit()]

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the delegates a reason for the rejection."))
        return data


class AffiliationRequestForm(SaysWhatToDo, forms.Form):
    entity = forms.ModelChoiceField(label=_("Member entity"), queryset=MemberEntity.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = MemberEntity.objects.exclude(affiliations__user=user).order_by("name")
        self.helper = _helper(_("Ask to be recognised as a member"))


class EntityForm(SaysWhatToDo, forms.ModelForm):
    focal_point_emails = forms.CharField(
        label=_("Focal points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E-mail addresses of their accounts, one a line."),
    )

    class Meta:
        model = MemberEntity
        fields = ["name", "category", "associate_of", "country", "auto_approval"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["focal_point_emails"].initial = "\n".join(
                self.instance.focal_points.order_by("email").values_list("email", flat=True)
            )
        self.helper = _helper(_("Save"))

    def clean_focal_point_emails(self):
        emails = {e.strip().lower() for e in self.cleaned_data["focal_point_emails"].replace(",", "\n").split()}
        emails.discard("")
        users = list(User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails))
        unknown = emails - {u.email.lower() for u in users}
        if unknown:
            raise forms.ValidationError(
                _("No account has the address %(emails)s.") % {"emails": ", ".join(sorted(unknown))}
            )
        return users


class EntityImportForm(SaysWhatToDo, forms.Form):
    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, category, country, associate_of, auto_approval, focal_points (addresses separated by ;)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Import"))
        self.helper.form_enctype = "multipart/form-data"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload.read()


class AutoApprovalForm(SaysWhatToDo, forms.Form):
    auto_approval = forms.BooleanField(label=_("Approve registrations automatically"), required=False)


class RegistrationFilterForm(SaysWhatToDo, forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    entity = forms.TypedChoiceField(label=_("Entity"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("Category"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    participation = forms.ChoiceField(label=_("Participation"), required=False)

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["state"].choices = everything + list(Registration.State.choices)
        self.fields["entity"].choices = everything + [(e.pk, str(e)) for e in entities]
        self.fields["category"].choices = everything + list(Category.choices)
        codes = sorted({e.country.code for e in entities})
        self.fields["country"].choices = everything + [(c, countries.name(c)) for c in codes]
        self.fields["participation"].choices = everything + list(Registration.Participation.choices)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, registrations, *, with_state=True):
        if not self.is_valid():
            return registrations
        data = self.cleaned_data
        if data["state"] and with_state:
            registrations = registrations.filter(state=data["state"])
        if data["entity"]:
            registrations = registrations.filter(entity_id=data["entity"])
        if data["category"]:
            registrations = registrations.filter(entity__category=data["category"])
        if data["country"]:
            registrations = registrations.filter(entity__country=data["country"])
        if data["participation"]:
            registrations = registrations.filter(participation=data["participation"])
        return registrations
