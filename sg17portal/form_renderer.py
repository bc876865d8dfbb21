"""The form renderer: Django's, with the select widgets written in Python.

Django renders each ``<option>`` of a select through a template include, which made a registration form with a
list of ~250 nationalities and of the member entities take most of 100 ms of a core. Selects are written here
with the same markup, attribute by attribute and space by space, as Django's ``select.html``,
``select_option.html`` and ``attrs.html`` (a test compares the two); every other widget goes through its template.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(f"{value}")}"')
    return "".join(parts)


class PortalFormRenderer(DjangoTemplates):
    def _option(self, option: dict) -> str:
        if option["template_name"] != OPTION_TEMPLATE:
            return super().render(option["template_name"], {"widget": option})
        value = conditional_escape(f"{option['value']}")
        # The option template ends with a line break, which the select's include keeps.
        return f'<option value="{value}"{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n'

    def render(self, template_name, context, request=None):
        if template_name != SELECT_TEMPLATE:
            return super().render(template_name, context, request=request)
        widget = context["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                html.append(f"\n  {self._option(option)}")
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        # Every name, value and label above went through conditional_escape, as the templates' {{ }} would.
        return mark_safe("".join(html))  # noqa: S308
