"""Demo data: the agenda of the 2021 SG17 meeting (Annex B of TSB Collective letter 12/17), pasted through the
outline parser and published, and a small published time plan for the next SG17 meeting.

Idempotent: a meeting that already has an agenda or a time plan is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from meetings.models import Meeting, Question

from . import services
from .models import AgendaVersion, TimePlanVersion
from .outline import parse_outline
from .rules import chair_group_name
from .services import td

# Annex B of the reference letter, as it reads there (title lines included: the parser skips them).
ANNEX_B_2021 = """ANNEX B
Agenda for Plenary Meeting of ITU-T SG17
Virtual, 24 August – 3 September 2021
NOTE - Updates to the agenda can be found in TD3779
1. Opening of the meeting and welcome
2. Results from the last SG17 meeting
a) Report of the 20-30 April 2021 SG17 meeting
b) Result of Recommendations consented under AAP
c) Result of the Member States consultation for Recommendation determined under TAP
d) Reports of the interim Rapporteur group meetings
e) Report from the SG17 correspondence group on preparation for the next study period
f) Reports from workshops
3. Coordination, collaboration and cooperation
a) Joint coordination activities (JCAs) and Focus groups (FGs)
b) Relations with other lead study groups
c) Collaboration with ITU-D
d) Collaboration with ITU-R
e) Global Standards Collaboration (GSC)
f) CTO meeting
g) Memorandum of Understanding on e-business (IEC, ISO, ITU-T, UN/ECE)
h) Collaboration with IEC, ISO and ISO/IEC JTC 1
i) Collaboration with IETF
j) Collaboration with ETSI
k) Collaboration with the SDL Forum Society
l) A.5 qualification of UPU
m) Interaction with other industry consortia and forums
n) Reports on other liaison and collaboration activities
4. Working arrangements for this meeting
a) SG17 organization for this meeting
b) Plenary Sessions
c) Handling of input documents
d) Texts proposed for action and proposed new work items
e) SG17 Lead Study Group activities
f) SG17 JCAs
· JCA-IdM
· JCA-CoP
g) SG17 Regional Groups
· SG17RG-AFR
· SG17RG-ARB
h) SG17 Projects
i) Tutorials for this meeting
5. General matters
a) TDs to facilitate our work
b) IPR information
c) Leadership positions
d) SG17 activities in support of WTSA-16 Resolutions, WTDC-17 Resolutions and PP-18 Resolutions
e) SG17 webpages
f) Kaleidoscope
g) Future SG17 organized outreach events (workshops, summits, seminars)
6. Programme for this meeting (working party meetings and meetings on Questions)
a) Meeting reports
b) Recommendations and other texts for approval or agreement at this SG17 meeting
c) Recommendations for consent or determination at this SG17 meeting
d) A.5 justification for normative references other than ITU, ISO, IEC in Recommendations
e) A.25 justification for incorporation of text in Recommendations
f) New work items to be added and work items to be deleted from the work programme
g) Recommendations and other texts planned for action at the SG17 January 2022 e-plenary
h) Recommendations and other texts planned for action in next study period
i) Updated Question Work Programme including Editors, Summaries and other updates for Recommendations and other \
texts under development
j) Manuals, roadmaps and wikis
k) Liaison statements
l) Requests to TSB to initiate A.4 (consortia/forums), A.5 (referenced organizations) or A.6 (SDOs) qualifications
m) Appointments/dismissals of SG17 positions
n) Planned Rapporteur group (e-)meetings (alone, joint or collocated), and other activities
o) Establishment, continuation, or termination of correspondence groups
p) Other items for SG17 agreement
q) Updated Action plan for the next SG17 meeting and further future
r) Highlights of achievements
7. Future meetings of SG17
8. Information from Vice Chairmen and Working Party Chairmen
9. Any other business
10. Closing
_____________________
"""

# (day offset, start, end, title, room, captioning, Question numbers)
TIME_PLAN = [
    (0, "09:30", "12:30", "Opening plenary", "Popov", True, []),
    (0, "14:30", "17:30", "WP1/17 plenary", "Popov", False, []),
    (0, "14:30", "17:30", "Q4/17", "K", False, [4]),
    (1, "09:30", "12:30", "Q2/17", "Popov", False, [2]),
    (1, "09:30", "12:30", "Q10/17", "K", False, [10]),
    (1, "14:30", "17:30", "Q6/17", "Popov", False, [6]),
    (1, "14:30", "17:30", "Q15/17", "", False, [15]),
    (2, "09:30", "12:30", "WP2/17 plenary", "Popov", False, []),
    (2, "14:30", "17:30", "Closing plenary", "Popov", True, []),
]


def _secretariat_user():
    return get_user_model().objects.filter(email="secretariat@example.org").first()


def _write(stdout, text):
    if stdout:
        stdout.write(text)


def load_agenda_2021(by, stdout=None):
    meeting = Meeting.objects.filter(study_group__number=17, first_day=datetime.date(2021, 8, 24)).first()
    if meeting is None:
        _write(stdout, "Agenda: no 2021 SG17 meeting in the data, skipped.")
        return
    if AgendaVersion.objects.filter(meeting=meeting).exists():
        return
    outline = parse_outline(ANNEX_B_2021)
    services.import_outline(meeting, revision=0, by=by, outline=outline, replace=False)
    issue = by is not None  # a TD is posted by a member of the secretariat
    services.publish_agenda(
        meeting, revision=1, by=by, note="Annex B of TSB Collective letter 12/17", issue_as_td=issue
    )
    if issue:
        # Issued here rather than by the worker, so the demo is complete as soon as it is loaded.
        td.issue_pending_agenda_tds(meeting)
    _write(stdout, f"Agenda: {outline.count()} items of Annex B published for {meeting.display_title} 2021.")


def _at(meeting, day, clock):
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=meeting.zone)


def load_time_plan(by, stdout=None):
    meeting = (
        Meeting.objects.filter(study_group__number=17, first_day__gte=timezone.localdate())
        .exclude(state=Meeting.State.DRAFT)
        .order_by("first_day")
        .first()
    )
    if meeting is None:
        _write(stdout, "Time plan: no upcoming SG17 meeting in the data, skipped.")
        return
    if TimePlanVersion.objects.filter(meeting=meeting).exists():
        return
    questions = {q.number: q for q in Question.objects.filter(study_group=meeting.study_group)}
    for revision, (offset, start, end, title, room, captioning, numbers) in enumerate(TIME_PLAN):
        day = meeting.first_day + datetime.timedelta(days=offset)
        services.add_session(
            meeting,
            revision=revision,
            by=by,
            starts_at=_at(meeting, day, start),
            ends_at=_at(meeting, day, end),
            title=title,
            room=room,
            captioning=captioning,
            questions=[questions[n] for n in numbers if n in questions],
        )
    if meeting.draft_agenda and not AgendaVersion.objects.filter(meeting=meeting).exists():
        # The upcoming meeting's agenda stays a draft: the secretariat is still working on it.
        services.import_outline(meeting, revision=0, by=by, outline=parse_outline(meeting.draft_agenda), replace=False)
    services.publish_time_plan(meeting, revision=len(TIME_PLAN), by=by, note="First time plan")
    _write(stdout, f"Time plan: {len(TIME_PLAN)} sessions published for {meeting.display_title} {meeting.first_day}.")


def load(stdout=None):
    by = _secretariat_user()
    Group.objects.get_or_create(name=chair_group_name(17))
    load_agenda_2021(by, stdout)
    load_time_plan(by, stdout)
