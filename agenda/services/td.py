"""Issuing published agenda versions as a TD of the meeting: the first as a new TD, each later one as the
next revision of that TD ("Updates to the agenda can be found in TD3779").

A worker does it after the publication has been committed (rendering the PDF takes a second, which the
request and the draft's lock need not wait for); the periodic sweep catches whatever a worker missed.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from documents import services as documents
from documents.models import Scope
from documents.uploads import UploadRefused

from .. import pdf, queries
from ..models import AgendaVersion
from .errors import AgendaError

logger = logging.getLogger(__name__)


def td_title(meeting) -> str:
    return _("Agenda of the meeting of Study Group %(number)s, %(first)s – %(last)s") % {
        "number": meeting.study_group.number,
        "first": f"{meeting.first_day.day} {meeting.first_day:%B}",
        "last": f"{meeting.last_day.day} {meeting.last_day:%B %Y}",
    }


@transaction.atomic
def issue_next_agenda_td(meeting):
    """Posts the PDF of the meeting's oldest published version still waiting for it as the agenda TD, or as
    the next revision of that TD. Returns the revision, or None when no version is waiting.

    Side effects, in order: the meeting's published versions are locked (so two workers never post two TDs
    for one meeting; a version already issued is not issued again); the version's PDF is rendered; the first
    issued version posts a new TD (plenary scope, source TSB, by the person who published it), a later one
    adds the next revision of that TD, or posts a new TD if that one was withdrawn; the version records the
    revision.
    """
    versions = list(
        AgendaVersion.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, number__isnull=False)
        .select_related("published_by")
        .order_by("number")
    )
    version = next((v for v in versions if v.td_pending), None)
    if version is None:
        return None
    # The documents' own rule: the TD is posted in the name of the person who published the version.
    if version.published_by is None or not version.published_by.has_perm("documents.post_td"):
        raise AgendaError(_("Only a member of the secretariat can issue the agenda as a TD."))
    version.meeting = meeting
    body = pdf.agenda_pdf(meeting, version, queries.agenda_tree(version))
    files = [ContentFile(body, name=f"SG{meeting.study_group.number}-agenda-v{version.number}.pdf")]
    document = queries.agenda_td(meeting)
    try:
        if document is None or document.is_withdrawn:
            document = documents.post_td(
                meeting, title=td_title(meeting), source="TSB", scope=Scope.PLEN, files=files, by=version.published_by
            )
            revision = document.revisions.get(number=0)
        else:
            note = _("Agenda, version %(number)s") % {"number": version.number}
            if version.note:
                note = f"{note}: {version.note}"
            revision = documents.add_revision(document, files=files, by=version.published_by, note=note[:500])
    except (documents.DocumentError, UploadRefused) as error:
        raise AgendaError(error.message) from error
    version.td_revision = revision
    version.save(update_fields=["td_revision"])
    return revision


def issue_pending_agenda_tds(meeting) -> int:
    """Issues the meeting's versions waiting to become a TD revision, oldest first; stops at the first that
    fails (logged, and tried again by the next sweep), so the revisions follow the versions. Returns how many."""
    issued = 0
    while True:
        try:
            if issue_next_agenda_td(meeting) is None:
                return issued
        except AgendaError:
            logger.warning("An agenda version of meeting %s was not issued as a TD.", meeting.pk, exc_info=True)
            return issued
        issued += 1


def meetings_with_pending_tds():
    return (
        AgendaVersion.objects.filter(issue_as_td=True, td_revision__isnull=True, number__isnull=False)
        .values_list("meeting_id", flat=True)
        .distinct()
    )
