"""Demo data for `make run`: SG17 with the 2021 virtual meeting of the reference letter and an upcoming hybrid one.

Idempotent: rows are looked up by their natural keys and created only when missing, never updated, so running it
twice changes nothing.
"""

import datetime
import zoneinfo

from .models import Meeting, Question, SideEvent, StudyGroup, StudyPeriod
from .services import sync_key_deadlines

GENEVA = zoneinfo.ZoneInfo("Europe/Zurich")

SG17 = {
    "title": "Security",
    "chair": "Mr Heung-Youl Youm",
    "chair_country": "Republic of Korea",
    "telephone": "+41 22 730 6206",
    "fax": "+41 22 730 5853",
    "email": "tsbsg17@itu.int",
    "web": "http://itu.int/go/tsg17",
}

QUESTIONS = [
    (1, "Security standardization strategy and coordination"),
    (2, "Security architecture and network security"),
    (3, "Telecommunication information security management"),
    (4, "Cybersecurity and management of security incidents"),
    (5, "Countering spam by technical means"),
    (6, "Security for telecommunication services and Internet of Things"),
    (7, "Secure application services"),
    (8, "Cloud computing and big data infrastructure security"),
    (9, "Telebiometrics"),
    (10, "Identity management and telebiometrics architecture and mechanisms"),
    (11, "Generic technologies (Directory, PKI, formal languages, object identifiers) to support secure applications"),
    (12, "Formal languages for telecommunication software and testing"),
    (13, "Security aspects for intelligent transport systems"),
    (14, "Security aspects for distributed ledger technology"),
    (15, "Security aspects for quantum-based technologies"),
]

JCA_IDM_REGISTRATION = "https://www.itu.int/net4/CRM/xreg/web/Registration.aspx?Event=C-00009903"

AGENDA_2021 = """NOTE - Updates to the agenda can be found in TD3779
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
i) Updated Question Work Programme including Editors, Summaries and other updates for Recommendations and \
other texts under development
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
10. Closing"""

AGENDA_2027 = """1. Opening of the meeting and welcome
2. Approval of the agenda and time plan
3. Results from the last SG17 meeting
a) Report of the September 2026 SG17 meeting
b) Result of Recommendations consented under AAP
4. Coordination, collaboration and cooperation
a) Joint coordination activities (JCAs)
b) Collaboration with ISO/IEC JTC 1, IETF and ETSI
5. Working arrangements for this meeting
a) SG17 organization for this meeting
b) Handling of input documents
6. Programme for this meeting (working party meetings and meetings on Questions)
a) Texts for consent, determination, approval or agreement
b) New work items
c) Liaison statements
7. Future meetings of SG17
8. Any other business
9. Closing"""


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=GENEVA)


def _meeting(group, period, first_day, **fields) -> Meeting:
    meeting, created = Meeting.objects.get_or_create(
        study_group=group, first_day=first_day, defaults={"study_period": period, **fields}
    )
    if created:
        sync_key_deadlines(meeting)
    return meeting


def _side_event(meeting, title, kind, starts_at, ends_at, registration_url=""):
    SideEvent.objects.get_or_create(
        meeting=meeting,
        title=title,
        defaults={"kind": kind, "starts_at": starts_at, "ends_at": ends_at, "registration_url": registration_url},
    )


def load(stdout=None):
    group, _ = StudyGroup.objects.get_or_create(number=17, defaults={**SG17, "collective_letter_counter": 2})
    period_2017, _ = StudyPeriod.objects.get_or_create(first_year=2017, last_year=2020)
    period_2025, _ = StudyPeriod.objects.get_or_create(first_year=2025, last_year=2028)
    for number, title in QUESTIONS:
        Question.objects.get_or_create(study_group=group, number=number, defaults={"title": title})

    # The meeting of TSB Collective letter 12/17, as the letter has it.
    virtual = _meeting(
        group,
        period_2017,
        datetime.date(2021, 8, 24),
        last_day=datetime.date(2021, 9, 3),
        format=Meeting.Format.VIRTUAL,
        session_start=datetime.time(10, 0),
        session_end=datetime.time(16, 0),
        time_zone="Europe/Zurich",
        remote_tool="MyMeetings",
        working_language="English",
        interpretation="no interpretation",
        captioning="captioning for the SG17 closing plenary on 3 September 2021",
        state=Meeting.State.CLOSED,
        letter_reference="TSB Collective letter 12/17",
        letter_date=datetime.date(2021, 5, 21),
        contact_reference="SG17/XY",
        signatory="Chaesub Lee",
        signatory_title="Director of the Telecommunication Standardization Bureau",
        draft_agenda=AGENDA_2021,
        announced_at=_at(datetime.date(2021, 5, 21), 9),
    )
    monday = datetime.date(2021, 8, 23)
    _side_event(virtual, "SG17 Overview for Newcomers", SideEvent.Kind.TUTORIAL, _at(monday, 10), _at(monday, 11))
    _side_event(
        virtual,
        "Open extended SG17 management team meeting",
        SideEvent.Kind.MANAGEMENT,
        _at(monday, 13),
        _at(monday, 15),
    )
    friday = datetime.date(2021, 8, 27)
    _side_event(
        virtual,
        "28th JCA-IdM meeting",
        SideEvent.Kind.JCA,
        _at(friday, 14, 30),
        _at(friday, 16),
        JCA_IDM_REGISTRATION,
    )

    # An upcoming hybrid meeting in Geneva whose deadlines are still ahead.
    hybrid = _meeting(
        group,
        period_2025,
        datetime.date(2027, 3, 16),
        last_day=datetime.date(2027, 3, 25),
        format=Meeting.Format.HYBRID,
        session_start=datetime.time(9, 30),
        session_end=datetime.time(17, 30),
        time_zone="Europe/Zurich",
        venue="ITU headquarters, Geneva",
        remote_tool="MyMeetings",
        join_details=(
            "MyMeetings: https://mymeetings.example.org/itu-t/sg17-2027-03\n"
            "Meeting ID 482 117 3094 · passcode is sent with your registration confirmation"
        ),
        working_language="English",
        interpretation="no interpretation",
        captioning="captioning for the opening and closing plenaries",
        state=Meeting.State.ANNOUNCED,
        letter_reference="TSB Collective letter 2/17",
        letter_date=datetime.date(2026, 11, 16),
        contact_reference="SG17/AM",
        signatory="Seizo Onoe",
        signatory_title="Director of the Telecommunication Standardization Bureau",
        practical_information=(
            "Wi-Fi is available in all meeting rooms. Delegates are invited to bring their own laptops; "
            "documents are not printed."
        ),
        draft_agenda=AGENDA_2027,
        announced_at=_at(datetime.date(2026, 11, 16), 9),
    )
    monday = datetime.date(2027, 3, 15)
    _side_event(hybrid, "SG17 Overview for Newcomers", SideEvent.Kind.TUTORIAL, _at(monday, 10), _at(monday, 11))
    _side_event(
        hybrid,
        "Open extended SG17 management team meeting",
        SideEvent.Kind.MANAGEMENT,
        _at(monday, 14, 30),
        _at(monday, 17, 30),
    )
    if stdout:
        stdout.write(f"Meetings: SG17 with {virtual.display_title} 2021 and {hybrid.display_title} 2027.")
