"""The collective letter of a meeting, written out from its data in the structure of a TSB collective letter.

``letter_context(meeting)`` gives everything the letter's template shows, for the page and the PDF alike, so that
both carry the same words and dates. The meeting must come from ``queries.meeting_with_details()``.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from . import display, extensions
from .models import KeyDeadline, Meeting, SideEvent, translated_letter_reference, usual_text
from .texts import english_fallbacks, meeting_text, meeting_title

# TSB writes from Geneva, whatever the meeting's venue.
LETTER_PLACE = gettext_lazy("Geneva")


def deadline_description(deadline: KeyDeadline, study_group_number: int) -> str:
    """What the letter's key deadlines table says a deadline is for."""
    if deadline.label:
        return deadline.label
    homepage = _("the SG%(number)d homepage") % {"number": study_group_number}
    descriptions = {
        KeyDeadline.Kind.TRANSLATION: _("Submit ITU-T Member contributions for which translation is requested"),
        KeyDeadline.Kind.FELLOWSHIP: _("Submit requests for fellowships (via the online form on %(homepage)s)"),
        KeyDeadline.Kind.REGISTRATION: _("Registration (via the online registration form on %(homepage)s)"),
        KeyDeadline.Kind.VISA: _("Submit requests for visa support (via the online registration form on %(homepage)s)"),
        KeyDeadline.Kind.CONTRIBUTIONS: _("Submit ITU-T Member contributions (via Direct Document Posting)"),
    }
    return descriptions[deadline.kind] % {"homepage": homepage}


def _lower_first(title: str) -> str:
    """Lower-cases "Open extended …" to follow "The"; "SG17 …" and "JCA-IdM …" stay as they are."""
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def side_event_sentence(event: SideEvent, meeting: Meeting) -> str:
    """The letter's sentence for a side event: "A tutorial on ‘…’ will be held at 10:00-11:00 hours, …"."""
    start, end = event.starts_at.astimezone(meeting.zone), event.ends_at.astimezone(meeting.zone)
    when = {
        "hours": display.hours_text(start, end),
        "zone": display.zone_label(meeting.time_zone),
        "day": display.weekday_day_text(start.date()),
    }
    if event.kind == SideEvent.Kind.TUTORIAL:
        what = _("A tutorial on ‘%(title)s’") % {"title": event.title}
    elif event.kind == SideEvent.Kind.WORKSHOP:
        what = _("A workshop on ‘%(title)s’") % {"title": event.title}
    else:
        what = _("The %(title)s") % {"title": _lower_first(event.title)}
    return _("%(what)s will be held at %(hours)s hours, %(zone)s, on %(day)s") % {"what": what, **when}


@dataclass(frozen=True)
class SeparateEvent:
    sentence: str
    registration_url: str


@dataclass(frozen=True)
class AgendaLine:
    level: int  # 0: numbered item, 1: lettered sub-item, 2: bullet under a sub-item; -1: a note
    text: str


_ITEM = re.compile(r"^\d+[.)]\s")
_SUB_ITEM = re.compile(r"^[a-z][.)]\s")
_BULLET = re.compile(r"^[·•\-–*]\s*")


def agenda_lines(text: str) -> list[AgendaLine]:
    """The draft agenda text of a meeting as indented lines: "1. …", "a) …", "· …"."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if _ITEM.match(line):
            lines.append(AgendaLine(0, line))
        elif _SUB_ITEM.match(line):
            lines.append(AgendaLine(1, line))
        elif _BULLET.match(line):
            lines.append(AgendaLine(2, _BULLET.sub("", line)))
        else:
            lines.append(AgendaLine(-1, line))
    return lines


def _where_sentence_part(meeting: Meeting) -> str:
    if meeting.format == Meeting.Format.VIRTUAL:
        return _("virtually")
    if meeting.format == Meeting.Format.HYBRID:
        return _("at %(venue)s, with remote participation,") % {"venue": meeting.venue}
    return _("at %(venue)s") % {"venue": meeting.venue}


def _language_clause(meeting: Meeting) -> str:
    """The clause on languages: "the entire meeting will run in English only with no interpretation …"."""
    language = usual_text(meeting.working_language)
    interpretation = meeting.interpretation.strip()
    if interpretation == "no interpretation":  # the usual case, said whole so that each language can say "without"
        sentence = _("the entire meeting will run in %(language)s only with no interpretation") % {"language": language}
    else:
        sentence = _("the entire meeting will run in %(language)s only") % {"language": language}
        if interpretation:
            sentence += " " + _("with %(interpretation)s") % {"interpretation": interpretation}
    if meeting.captioning:
        sentence += " " + _("but with %(captioning)s") % {"captioning": meeting.captioning}
    return sentence


def _language_sentence(meeting: Meeting) -> str:
    sentence = _language_clause(meeting)
    if meeting.is_virtual:
        return _("Note that no fellowships will be awarded, and %(sentence)s.") % {"sentence": sentence}
    return _("Note that %(sentence)s.") % {"sentence": sentence}


def _hours_sentence(meeting: Meeting) -> str:
    values = {
        "hours": display.hours_text(meeting.session_start, meeting.session_end),
        "zone": display.zone_label(meeting.time_zone),
        "tool": meeting.remote_tool,
        # Study groups do not sit on Saturdays and Sundays.
        "days": _("every day from Monday to Friday") if display.spans_a_weekend(meeting) else _("every day"),
    }
    if meeting.format == Meeting.Format.VIRTUAL:
        if not meeting.remote_tool:
            return _("The meeting will be held at %(hours)s hours, %(zone)s, %(days)s, by remote participation.") % (
                values
            )
        return (
            _(
                "The meeting will be held at %(hours)s hours, %(zone)s, %(days)s using the %(tool)s remote "
                "participation tool."
            )
            % values
        )
    if meeting.format == Meeting.Format.HYBRID:
        if not meeting.remote_tool:
            return (
                _(
                    "The meeting will be held at %(hours)s hours, %(zone)s, %(days)s, in the meeting rooms and by "
                    "remote participation."
                )
                % values
            )
        return (
            _(
                "The meeting will be held at %(hours)s hours, %(zone)s, %(days)s, in the meeting rooms and using "
                "the %(tool)s remote participation tool."
            )
            % values
        )
    return _("The meeting will be held at %(hours)s hours, %(zone)s, %(days)s.") % values


def _annex_a(meeting: Meeting, deadlines: dict[str, KeyDeadline]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Annex A as (heading, [(run-in title, paragraph)]) sections."""
    tool = meeting.remote_tool
    working = [
        (
            _("Document submission and access"),
            _(
                "Member contributions should be submitted using Direct Document Posting; draft TDs should be "
                "submitted by e-mail to the study group secretariat using the appropriate template. Access to "
                "meeting documents is provided from the study group homepage, and is restricted to ITU-T Members "
                "who have an ITU user account."
            ),
        ),
        (_("Working language"), capfirst(_language_clause(meeting)) + "."),
    ]
    if meeting.format != Meeting.Format.VIRTUAL:
        working.insert(0, (_("Venue"), _("The meeting will be held at %(venue)s.") % {"venue": meeting.venue}))
    if meeting.format != Meeting.Format.PHYSICAL:
        working.append(
            (
                _("Interactive remote participation"),
                _(
                    "The %(tool)s tool will be used to provide remote participation for all sessions, including "
                    "decision-making sessions such as working party and study group plenaries. Delegates must "
                    "register for the meeting and identify themselves and their affiliation when taking the floor. "
                    "Remote participation is provided on a best-effort basis. Participants should be aware that the "
                    "meeting will not be delayed or interrupted because of a remote participant's inability to "
                    "connect, listen or be heard, as per the chairman's discretion. The meeting chat facility is an "
                    "integral part of the meeting and its use is encouraged to facilitate efficient time management "
                    "during the sessions."
                )
                % {"tool": tool or _("remote participation")},
            )
        )

    if registration_deadline := deadlines.get(KeyDeadline.Kind.REGISTRATION):
        when = _("by %(day)s at the latest") % {"day": display.day_text(registration_deadline.day)}
    else:
        when = _("at least one month before the start of the meeting")
    registration = _(
        "Registration is mandatory and is to be done online via the study group homepage %(when)s. As outlined "
        "in TSB Circular 68, the ITU-T registration system requires focal-point approval for registration "
        "requests; TSB Circular 118 describes how to set up automatic approval of these "
        "requests. Some options in the registration form apply only to Member States. The membership is invited "
        "to include women in their delegations whenever possible."
    ) % {"when": when}
    if meeting.format != Meeting.Format.PHYSICAL:
        registration += " " + (
            _(
                "Without confirmed registration, delegates will not be able to access the %(tool)s remote "
                "participation tool."
            )
            % {"tool": tool}
            if tool
            else _("Without confirmed registration, delegates will not be able to participate remotely.")
        )
    people = [(_("Registration"), registration)]
    if meeting.is_virtual:
        people.append(
            (
                _("New delegates, fellowships and visa support"),
                _(
                    "For virtual meetings, since there is no travel involved, no fellowships are provided and visa "
                    "support is not applicable. Orientation sessions for new delegates will be provided as "
                    "considered appropriate by the study group chairman."
                ),
            )
        )
    else:
        people.append(
            (
                _("New delegates"),
                _("Orientation sessions for new delegates will be provided as considered appropriate by the chairman."),
            )
        )
        if fellowship := deadlines.get(KeyDeadline.Kind.FELLOWSHIP):
            people.append(
                (
                    _("Fellowships"),
                    _(
                        "Fellowships may be granted to eligible participants from developing countries, one per "
                        "eligible country. Requests must reach TSB by %(day)s at the latest."
                    )
                    % {"day": display.day_text(fellowship.day)},
                )
            )
        if visa := deadlines.get(KeyDeadline.Kind.VISA):
            people.append(
                (
                    _("Visa support"),
                    _(
                        "Participants who need a visa to enter the host country should request a visa support "
                        "letter when registering, by %(day)s at the latest, and apply for the visa in good time."
                    )
                    % {"day": display.day_text(visa.day)},
                )
            )
    sections = [
        (_("Working methods and facilities"), working),
        (_("Registration, new delegates, fellowships and visa support"), people),
    ]
    practical_information = meeting_text(meeting, "practical_information").text.strip()
    if practical_information:
        sections.append((_("Further information"), [("", practical_information)]))
    return sections


def letter_context(meeting: Meeting) -> dict:
    """Everything the collective letter shows, computed once for the page and the PDF."""
    group = meeting.study_group
    deadlines = list(meeting.deadlines.all())
    by_kind = {d.kind: d for d in deadlines}
    side_events = list(meeting.side_events.all())
    day_range = display.day_range_text(meeting.first_day, meeting.last_day)
    invitation = _(
        "It is my pleasure to invite you to attend the next meeting of ITU-T Study Group %(number)d (%(title)s), "
        "which will be held %(where)s %(from_to)s, inclusive."
    ) % {
        "number": group.number,
        "title": group.title,
        "where": _where_sentence_part(meeting),
        "from_to": display.from_to_text(meeting.first_day, meeting.last_day),
    }
    part_of_meeting = [
        _("%(sentence)s, as part of this SG%(number)d meeting.")
        % {"sentence": side_event_sentence(e, meeting), "number": group.number}
        for e in side_events
        if not e.registration_url
    ]
    separate = [
        SeparateEvent(side_event_sentence(e, meeting) + ".", e.registration_url)
        for e in side_events
        if e.registration_url
    ]
    chair = group.chair + (f" ({group.chair_country_text})" if group.chair and group.chair_country else "")
    annexes_intro = _("Practical meeting information is set out in Annex A.")
    if chair:
        annexes_intro += " " + _(
            "A draft meeting agenda, prepared in agreement with the Chairman of the study group, %(chair)s, is set "
            "out in Annex B."
        ) % {"chair": chair}
    else:
        annexes_intro += " " + _("A draft meeting agenda is set out in Annex B.")
    annexes_intro += " " + _(
        "A draft time plan will be available from the SG%(number)d homepage and frequently updated before and "
        "during the meeting."
    ) % {"number": group.number}
    format_place = {
        Meeting.Format.VIRTUAL: _("Virtual"),
        Meeting.Format.PHYSICAL: meeting.venue,
        Meeting.Format.HYBRID: _("Hybrid, %(venue)s") % {"venue": meeting.venue},
    }[meeting.format]
    annex_b_html = extensions.annex_b(meeting)
    return {
        "meeting": meeting,
        "study_group": group,
        "is_draft": meeting.state == Meeting.State.DRAFT,
        "place_and_date": f"{LETTER_PLACE}, {display.day_text(meeting.letter_date)}" if meeting.letter_date else "",
        "addressees": [
            _("To Administrations of Member States of the Union;"),
            _("To ITU-T Sector Members;"),
            _("To ITU-T Associates of Study Group %(number)d;") % {"number": group.number},
            _("To ITU Academia"),
        ],
        "subject": f"{meeting_title(meeting)}, {day_range}",
        "english_fallbacks": english_fallbacks(meeting),
        "day_range": day_range,
        "invitation": invitation,
        "language": _language_sentence(meeting),
        "hours": _hours_sentence(meeting),
        "part_of_meeting": part_of_meeting,
        "key_deadlines": [(display.day_text(d.day), deadline_description(d, group.number)) for d in deadlines],
        "annexes_intro": annexes_intro,
        "separate_events": separate,
        "annex_a": _annex_a(meeting, by_kind),
        "annex_b_title": _("Agenda for Plenary Meeting of ITU-T SG%(number)d") % {"number": group.number},
        "annex_b_place": f"{format_place}, {day_range}",
        "annex_b_html": annex_b_html,
        "agenda_lines": [] if annex_b_html is not None else agenda_lines(meeting_text(meeting, "draft_agenda").text),
    }


def kept_letter_context(meeting: Meeting, kept) -> dict:
    """What the page and the PDF show of a letter as issued: in the reader's language when it was issued in it,
    else in English (``kept_language`` tells which)."""
    subject, body_html, language = kept.as_issued_in(get_language() or settings.LANGUAGE_CODE)
    return {
        "meeting": meeting,
        "subject": subject,
        "is_draft": False,
        "kept_letter": kept,
        "kept_body_html": body_html,
        "kept_language": language,
    }


def letter_body_html(meeting: Meeting) -> str:
    """The letter's text as the page and the PDF show it, to keep as issued."""
    return render_to_string("meetings/letter/_letter.html", letter_context(meeting))


def addendum_context(meeting: Meeting, addendum, letter) -> dict:
    """What the page and the PDF of an addendum show. ``letter`` is the issued letter (number 0) or None."""
    reference = translated_letter_reference(letter.reference if letter else meeting.letter_reference)
    letter_day = letter.issued_on if letter else meeting.letter_date
    return {
        "meeting": meeting,
        "study_group": meeting.study_group,
        "addendum": addendum,
        "place_and_date": f"{LETTER_PLACE}, {display.day_text(addendum.issued_on)}",
        "further_to": _("Further to %(reference)s of %(day)s, I wish to inform you of the following changes.")
        % {"reference": reference, "day": display.day_text(letter_day) if letter_day else ""},
    }
