"""What every form of the portal shares: error messages that say what to do, selects that say what to choose."""

from django import forms
from django.utils.translation import gettext as _


def _noun(label: str) -> str:
    """ "First day" reads "first day" inside a sentence; "TD number" and "ITU-T Question" keep their capitals."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


# Django's label of a select's empty choice, which tells nobody what to pick.
BLANK_LABEL = "---------"


def choose_prompt(field: forms.ChoiceField) -> str | None:
    """The empty choice of a select, "Choose the member entity": a model's name for a choice of objects (the
    label may say whose it is), else the field's label."""
    if isinstance(field, forms.ModelChoiceField):
        noun = str(field.queryset.model._meta.verbose_name)
    else:
        noun = _noun(str(field.label or "").rstrip(":").strip())
    return _("Choose the %(field)s") % {"field": noun} if noun else None


def _say_what_to_choose(field: forms.Field) -> None:
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == BLANK_LABEL:
            field.empty_label = choose_prompt(field)
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if any(label == BLANK_LABEL for _value, label in choices):
            prompt = choose_prompt(field)
            field.choices = [(value, prompt if label == BLANK_LABEL else label) for value, label in choices]


def required_message(field: forms.Field) -> str | None:
    """The message for an empty required field, after the GOV.UK pattern: "Enter …", "Select …", "Choose …"."""
    label = str(field.label or "").rstrip(":").strip()
    if not label or isinstance(field, forms.BooleanField):
        return None
    noun = _noun(label)
    if isinstance(field, forms.FileField):
        return _("Choose the %(field)s to upload.") % {"field": noun}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _("Select the %(field)s.") % {"field": noun}
    if isinstance(field, forms.MultiValueField):
        return _("Enter the day and the time: %(field)s.") % {"field": noun}
    return _("Enter the %(field)s.") % {"field": noun}


class SaysWhatToDo:
    """Form mixin: instead of "This field is required.", each empty required field says what to enter; instead
    of "---------", the empty choice of each select says what to choose.

    Applied when the form is validated and when a field is rendered, so fields added or replaced in a form's
    ``__init__`` are covered too.
    """

    def __getitem__(self, name):
        if name not in getattr(self, "_bound_fields_cache", {}) and name in self.fields:
            _say_what_to_choose(self.fields[name])
        return super().__getitem__(name)

    def full_clean(self):
        for field in self.fields.values():
            # A message a form chose for one field stays; only Django's generic one is replaced.
            if field.error_messages.get("required") != forms.Field.default_error_messages["required"]:
                continue
            message = required_message(field)
            if message:
                field.error_messages["required"] = message
        super().full_clean()
