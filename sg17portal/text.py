"""Free text typed into the portal: invisible characters removed, lengths limited, the same for every app.

A title or a name is one line of visible text. Right-to-left overrides and isolates can make a title read
differently from what it is ("Draft‮fdp.exe"), zero-width spaces make two names that look alike differ;
control characters have no business in either. What is removed: control characters (Unicode Cc, but tabs
and line breaks in multi-line text), format characters (Cf: bidi controls, zero-width spaces, the byte-order
mark, soft hyphens) except the zero-width joiner and non-joiner that Persian and Indic names need, and line
or paragraph separators in a single line. The text is also put in Unicode's composed form (NFC).

The model fields clean on every save, whatever writes (form, service, API, admin); the form fields clean
before validation, so a length limit counts what will be stored and a title of invisible characters only
is "required". The model fields keep their parent's path in migrations: the columns do not change.
"""

import unicodedata

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

_KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner: part of some spellings
TOO_LONG = _("This is too long: at most %(limit_value)d characters, and it has %(show_value)d.")


def _visible(character: str, *, multiline: bool) -> bool:
    category = unicodedata.category(character)
    if category == "Cc":
        return multiline and character in "\n\t"
    if category == "Cf":
        return character in _KEPT_FORMAT_CHARACTERS
    return category not in {"Zl", "Zp"}


def clean_line(value: str) -> str:
    """One line of visible text: invisible characters gone, line breaks and runs of spaces made one space."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    value = "".join(c if _visible(c, multiline=False) else (" " if c in "\n\r\t\u2028\u2029" else "") for c in value)
    return " ".join(value.split())


def clean_paragraphs(value: str) -> str:
    """Text of several lines: invisible characters gone, line breaks kept (as \\n), ends stripped."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.replace("\u2028", "\n").replace("\u2029", "\n\n")
    return "".join(c for c in value if _visible(c, multiline=True)).strip()


class LineFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {}).setdefault("max_length", TOO_LONG)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_line(value) if value else value


class ParagraphsFormField(LineFormField):
    def to_python(self, value):
        value = forms.CharField.to_python(self, value)
        return clean_paragraphs(value) if value else value


class LineField(models.CharField):
    """A title or a name (see the module docstring)."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = clean_line(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LineFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class ParagraphsField(models.TextField):
    """Free text of several lines, with a ``max_length`` that forms enforce (see the module docstring)."""

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = clean_paragraphs(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        if self.choices:
            return super().formfield(**kwargs)
        return super().formfield(**{"form_class": ParagraphsFormField, **kwargs})

    def deconstruct(self):
        # A text column has no length in the database: the limit is the forms' business, not a migration's.
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, "django.db.models.TextField", args, kwargs
