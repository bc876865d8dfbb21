"""What every form of the portal shares: error messages that say what to do."""

from django import forms
from django.utils.translation import gettext as _


def _noun(label: str) -> str:
    """ "First day" reads "first day" inside a sentence; "TD number" and "ITU-T Question" keep their capitals."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


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
    """Form mixin: instead of "This field is required.", each empty required field says what to enter.

    Applied when the form is validated, so fields added or replaced in ``__init__`` are covered too.
    """

    def full_clean(self):
        for field in self.fields.values():
            # A message a form chose for one field stays; only Django's generic one is replaced.
            if field.error_messages.get("required") != forms.Field.default_error_messages["required"]:
                continue
            message = required_message(field)
            if message:
                field.error_messages["required"] = message
        super().full_clean()
