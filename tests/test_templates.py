"""Template hygiene that the template engine does not check."""

import pathlib

from django.conf import settings

TEMPLATE_SUFFIXES = {".html", ".txt"}


def project_templates():
    for path in settings.BASE_DIR.rglob("*"):
        if path.suffix in TEMPLATE_SUFFIXES and "templates" in path.parts and not _outside_project(path):
            yield path


def _outside_project(path: pathlib.Path) -> bool:
    return any(part.startswith((".venv", "node_modules", "var", "staticfiles")) for part in path.parts)


def test_no_template_comment_spans_lines():
    """``{# … #}`` ends on its own line; one that goes on to the next is printed as text on the page."""
    open_comments = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in project_templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert list(project_templates())
    assert open_comments == []
