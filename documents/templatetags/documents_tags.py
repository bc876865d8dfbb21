import html

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .. import queries

register = template.Library()


@register.simple_tag
def documents_meeting_panel(meeting, user):
    """What the meeting page shows of its documents: rights, counts, the contributions deadline."""
    can_read = user.has_perm("documents.view_meeting_documents")
    deadline = queries.contributions_deadline(meeting)
    return {
        "can_read": can_read,
        # Posting needs reading (a member or the secretariat): no second membership query for those who cannot.
        "can_post_now": can_read and user.has_perm("documents.post_contribution_now", meeting),
        "can_post_td": user.has_perm("documents.post_td"),
        "can_send_td_draft": user.has_perm("documents.submit_td_draft", meeting),
        "counts": queries.meeting_counts(meeting) if can_read else {},
        "deadline": deadline,
        "deadline_open": deadline is None or deadline.is_open(timezone.now()),
        "subscribed": queries.is_subscribed(user, meeting),
    }


@register.simple_tag
def document_rows(rows):
    """The ``<tr>`` of each row of a document list (``queries.DocumentRow``), written here rather than by a
    ``{% for %}`` of the template, as Django's admin writes its change list's rows: a list of 200 documents is about
    2,600 values to look up and escape, which the template language took 5 ms of a core to do and this does in one.
    Each value is escaped as ``{{ }}`` would put it: by ``html.escape``, which is what Django's ``escape`` calls
    after its wrapper for lazy strings (a third of the time here; every value here is a plain string)."""
    late = escape(gettext("late"))
    translation = escape(gettext("translation"))
    translation_title = escape(gettext("Translation requested"))
    withdrawn = escape(gettext("withdrawn"))
    out = html.escape
    lines = []
    for row in rows:
        marks = (
            (f'<span class="badge text-bg-warning">{late}</span> ' if row.is_late else "")
            + (
                f'<span class="badge text-bg-info" title="{translation_title}">{translation}</span> '
                if row.translation_requested
                else ""
            )
            + (f'<span class="badge text-bg-secondary">{withdrawn}</span>' if row.withdrawn else "")
        )
        opening = '    <tr class="doc-withdrawn">' if row.withdrawn else "    <tr>"
        lines.append(
            f"{opening}"
            f'<td class="text-nowrap"><a href="{out(row.url)}">{out(row.name)}</a></td>'
            f"<td>{out(row.title)}</td><td>{out(row.source)}</td><td>{out(row.questions)}</td>"
            f'<td class="text-nowrap">{out(row.date)}</td><td class="text-nowrap">{marks}</td></tr>\n'
        )
    return mark_safe("".join(lines))  # noqa: S308 - every value above went through escape
