"""The meeting's free texts (title, practical information, Annex B) in the reader's language.

The secretariat writes them in English on the meeting and, where it has them, in the other languages
(``MeetingText``). A text missing in the reader's language falls back to English, and the pages say so.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

from .models import Meeting


@dataclass(frozen=True)
class LocalText:
    text: str
    language: str  # the language ``text`` is written in
    is_fallback: bool  # English shown because the reader's language has no version of it


def meeting_text(meeting: Meeting, field: str, language: str | None = None) -> LocalText:
    """``field`` of ``meeting`` in ``language`` (default: the active one). Reads ``meeting.texts.all()``, which
    ``queries.meeting_with_details()`` prefetches."""
    language = language or get_language() or settings.LANGUAGE_CODE
    english = getattr(meeting, field)
    if language != settings.LANGUAGE_CODE:
        for text in meeting.texts.all():
            if text.language == language and getattr(text, field).strip():
                return LocalText(getattr(text, field), language, False)
    return LocalText(english, settings.LANGUAGE_CODE, language != settings.LANGUAGE_CODE and bool(english.strip()))


def meeting_title(meeting: Meeting) -> str:
    """The title in the reader's language; the usual title ("Meeting of Study Group 17") is translated anyway."""
    title = meeting_text(meeting, "title")
    return title.text if title.text.strip() else meeting.display_title


def english_fallbacks(meeting: Meeting) -> list[str]:
    """The names of the texts shown in English because the reader's language has none (empty for English)."""
    labels = {
        "title": Meeting._meta.get_field("title").verbose_name,
        "practical_information": Meeting._meta.get_field("practical_information").verbose_name,
        "draft_agenda": Meeting._meta.get_field("draft_agenda").verbose_name,
    }
    return [str(label) for field, label in labels.items() if meeting_text(meeting, field).is_fallback]
