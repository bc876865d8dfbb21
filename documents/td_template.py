"""The TD template members draft their temporary documents on: a .docx with ITU's cover block.

The cover holds "TD nnn", "STUDY GROUP nn", the study period, the meeting's place and dates, then
Question(s), Source, Title and Contact rows, and the notice that the document is restricted.
"""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import Meeting
from sg17portal.dates import format_date_range

RESTRICTED_NOTICE = gettext_lazy(
    "Attention: This is not a publication made available to the public, but an internal ITU-T Study Group "
    "document intended only for use by the Member States of ITU, by ITU-T Sector Members and Associates, and "
    "their respective staff and collaborators in their ITU related work. It shall not be made available to, "
    "and used by, any other persons or entities without the prior written consent of ITU-T."
)


def _dates(meeting: Meeting) -> str:
    return format_date_range(meeting.first_day, meeting.last_day)


def _place(meeting: Meeting) -> str:
    if meeting.is_virtual:
        return _("Virtual")
    return meeting.venue.split(",")[0].strip() if meeting.venue else _("Geneva")


def _set_cell(cell, text: str, *, bold: bool = False, size: float | None = None, align=None):
    from docx.shared import Pt

    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align


def td_template(meeting: Meeting) -> bytes:
    """The TD template for ``meeting``, as the bytes of a .docx file."""
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    sg = meeting.study_group.number
    period = meeting.study_period
    word = WordDocument()
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    style = word.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    word.core_properties.title = _("TD nnn – Study Group %(number)s") % {"number": sg}
    word.core_properties.author = "ITU-T"

    right = WD_ALIGN_PARAGRAPH.RIGHT
    header = word.add_table(rows=3, cols=2)
    header.style = "Table Grid"
    _set_cell(header.cell(0, 0), _("INTERNATIONAL TELECOMMUNICATION UNION"), bold=True, size=11)
    _set_cell(header.cell(0, 1), _("TD nnn"), bold=True, size=16, align=right)
    _set_cell(header.cell(1, 0), _("TELECOMMUNICATION STANDARDIZATION SECTOR"), bold=True, size=11)
    _set_cell(header.cell(1, 1), _("STUDY GROUP %(number)s") % {"number": sg}, bold=True, size=14, align=right)
    _set_cell(
        header.cell(2, 0),
        _("STUDY PERIOD %(first)s-%(last)s") % {"first": period.first_year, "last": period.last_year},
        size=10,
    )
    _set_cell(header.cell(2, 1), _("Original: English"), align=right)

    cover = word.add_table(rows=0, cols=2)
    cover.style = "Table Grid"
    rows = [
        (_("Question(s):"), f"n/{sg}"),
        (_("Meeting:"), f"{_place(meeting)}, {_dates(meeting)}"),
        ("", _("TEMPORARY DOCUMENT")),
        (_("Source:"), _("Editor / Rapporteur / organization")),
        (_("Title:"), _("Title of the document")),
        (_("Purpose:"), _("Discussion / Information / Agreement / Approval / Admin")),
        (_("Contact:"), _("Name\nOrganization\nCountry\nTel: +\nE-mail: ")),
    ]
    for label, value in rows:
        cells = cover.add_row().cells
        _set_cell(cells[0], label, bold=True)
        _set_cell(cells[1], value, bold=not label)
        if not label:
            cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    notice = word.add_paragraph()
    notice_run = notice.add_run(str(RESTRICTED_NOTICE))
    notice_run.italic = True
    notice_run.font.size = Pt(9)

    word.add_paragraph()
    for label, text in (
        (_("Keywords:"), _("Keywords of the document.")),
        (_("Abstract:"), _("A short summary of the document.")),
    ):
        paragraph = word.add_paragraph()
        paragraph.add_run(label + " ").bold = True
        paragraph.add_run(text)
    word.add_paragraph(_("Start the text of the TD here."))

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
