"""The portal's form renderer writes selects exactly as Django's templates do, only faster."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django_countries.fields import CountryField

from sg17portal.form_renderer import PortalFormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Choose one"), ("a", "Ä & <b>"), ("b", 'Say "b"')])
    grouped = forms.ChoiceField(
        choices=[("Europe", [("ch", "Switzerland"), ("fr", "France")]), ("Asia", [("kr", "Korea")]), ("x", "Other")],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two"), (3, mark_safe("<i>Three</i>"))])
    country = CountryField(blank=True).formfield()
    flags = forms.ChoiceField(
        choices=[("y", "Yes"), ("n", "No")],
        widget=forms.Select(attrs={"disabled": True, "data-x": 'q"', "hidden": False}),
    )
    radio = forms.ChoiceField(choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect)
    text = forms.CharField()


@pytest.mark.parametrize("data", [None, {"plain": "a", "grouped": "kr", "many": ["1", "3"], "country": "SN"}])
def test_every_widget_renders_the_same_as_with_djangos_templates(data):
    portal = Everything(data, renderer=PortalFormRenderer())
    django = Everything(data, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(portal[name]) == str(django[name]), name
    assert '<option value="a" selected>Ä &amp; &lt;b&gt;</option>' in str(
        Everything({"plain": "a"}, renderer=PortalFormRenderer())["plain"]
    )
