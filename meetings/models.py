import datetime
import functools
import re
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from sg17portal.text import LineField, ParagraphsField

from . import deadlines
from .display import day_text

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]

# A meeting longer than this is a typing mistake.
MAX_MEETING_DAYS = 31
# How far before the first or after the last day a side event may be and still belong to the meeting.
SIDE_EVENT_MARGIN = datetime.timedelta(days=7)


@functools.lru_cache(maxsize=512)
def _country_code_of_english_name(name: str) -> str:
    """django-countries' ``by_name`` in English, kept: it reads the country names one by one in English (a switch of
    language and a translation each) until one matches, over a millisecond for a name late in the list, and the
    names in English do not change while the process runs."""
    return countries.by_name(name, language="en")


class StudyGroup(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = LineField(_("title"), max_length=200, help_text=_('For example "Security".'))
    chair = models.CharField(_("chair"), max_length=200, blank=True, help_text=_('For example "Mr Heung-Youl Youm".'))
    chair_country = models.CharField(_("chair's country"), max_length=100, blank=True)
    telephone = models.CharField(_("telephone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("secretariat e-mail"), blank=True)
    web = models.URLField(_("web page"), blank=True)
    collective_letter_counter = models.PositiveIntegerField(
        _("collective letters issued"), default=0, help_text=_("The running number of its collective letters.")
    )

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["number"]

    def __str__(self):
        return f"SG{self.number}"

    def get_absolute_url(self):
        return reverse("meetings:study_group", kwargs={"number": self.number})

    @property
    def chair_country_text(self) -> str:
        """The chair's country in the reader's language, when it is a country's name in English; else as typed."""
        code = _country_code_of_english_name(self.chair_country.strip()) if self.chair_country.strip() else ""
        return str(countries.name(code)) if code else self.chair_country

    @property
    def full_name(self):
        return f"ITU-T Study Group {self.number} ({self.title})"


class StudyPeriod(models.Model):
    class TdNumbering(models.TextChoices):
        SINGLE = "single", _('One series, scope as a label ("TD 230 (PLEN)")')
        PER_SCOPE = "per_scope", _('One series per scope ("TD 73/2", "TD 78/P")')

    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    td_numbering = models.CharField(
        _("TD numbering"), max_length=16, choices=TdNumbering.choices, default=TdNumbering.SINGLE
    )

    class Meta:
        verbose_name = _("study period")
        verbose_name_plural = _("study periods")
        ordering = ["-first_year"]
        constraints = [
            models.UniqueConstraint(fields=["first_year", "last_year"], name="unique_study_period"),
            models.CheckConstraint(condition=models.Q(last_year__gte=models.F("first_year")), name="period_order"),
        ]

    def __str__(self):
        return f"{self.first_year}-{self.last_year}"


class Question(models.Model):
    study_group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("number"))
    title = LineField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("Question")
        verbose_name_plural = _("Questions")
        ordering = ["study_group__number", "number"]
        constraints = [models.UniqueConstraint(fields=["study_group", "number"], name="unique_question")]

    def __str__(self):
        return f"Q{self.number}/{self.study_group.number}"


STANDARD_LETTER_REFERENCE = re.compile(r"^TSB Collective letter (?P<number>\d+)/(?P<group>\d+)$")


# Values the secretariat usually leaves as typed in English (the meeting's defaults, TSB's signatory title), said in
# the reader's language; anything else is shown as typed.
USUAL_TEXTS = {
    "Director of the Telecommunication Standardization Bureau": _(
        "Director of the Telecommunication Standardization Bureau"
    ),
    "English": pgettext_lazy("the working language, inside a sentence", "English"),
    "no interpretation": _("no interpretation"),
}


def usual_text(value: str) -> str:
    return str(USUAL_TEXTS.get(value.strip(), value))


ADDENDUM_REFERENCE = re.compile(r"^Addendum (?P<number>\d+) to (?P<letter>.+)$")


def translated_letter_reference(reference: str) -> str:
    """A letter's or an addendum's reference, kept in English, in the reader's language where it has the usual
    form ("TSB Collective letter 12/17", "Addendum 1 to TSB Collective letter 12/17")."""
    addendum = ADDENDUM_REFERENCE.match(reference.strip())
    if addendum is not None:
        return _("Addendum %(number)d to %(reference)s") % {
            "number": int(addendum["number"]),
            "reference": translated_letter_reference(addendum["letter"]),
        }
    match = STANDARD_LETTER_REFERENCE.match(reference.strip())
    if match is None:
        return reference
    return _("TSB Collective letter %(number)s/%(group)s") % match.groupdict()


class Meeting(models.Model):
    class Format(models.TextChoices):
        VIRTUAL = "virtual", _("Virtual")
        PHYSICAL = "physical", _("Physical")
        HYBRID = "hybrid", _("Hybrid")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ANNOUNCED = "announced", _("Announced")
        CLOSED = "closed", _("Closed")

    study_group = models.ForeignKey(StudyGroup, on_delete=models.PROTECT, related_name="meetings")
    study_period = models.ForeignKey(StudyPeriod, on_delete=models.PROTECT, related_name="meetings")
    title = LineField(_("title"), max_length=200, blank=True, help_text=_("Leave empty for the usual title."))
    format = models.CharField(_("format"), max_length=16, choices=Format.choices, default=Format.VIRTUAL)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    session_start = models.TimeField(_("daily sessions start"), default=datetime.time(10, 0))
    session_end = models.TimeField(_("daily sessions end"), default=datetime.time(16, 0))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.DEFAULT_MEETING_TIME_ZONE
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True, help_text=_("For physical and hybrid meetings."))
    remote_tool = models.CharField(_("remote participation tool"), max_length=100, blank=True, default="MyMeetings")
    join_details = models.TextField(
        _("remote participation details"),
        blank=True,
        help_text=_("Shown only to delegates whose registration is approved."),
    )
    working_language = models.CharField(_("working language"), max_length=100, default="English")
    interpretation = models.CharField(_("interpretation"), max_length=200, blank=True, default="no interpretation")
    captioning = models.CharField(_("captioning"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    late_registration_allowed = models.BooleanField(
        _("late registration allowed"),
        default=False,
        help_text=_("Delegates may still register after the registration deadline; late ones are marked late."),
    )
    letter_reference = models.CharField(
        _("collective letter reference"), max_length=100, blank=True, help_text=_('"TSB Collective letter 12/17".')
    )
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    contact_reference = models.CharField(_("contact reference"), max_length=100, blank=True, help_text='"SG17/XY"')
    signatory = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=300, blank=True)
    practical_information = ParagraphsField(_("practical information"), blank=True, max_length=20000)
    draft_agenda = ParagraphsField(_("draft agenda (Annex B)"), blank=True, max_length=50000)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-first_day"]
        constraints = [
            models.CheckConstraint(condition=models.Q(last_day__gte=models.F("first_day")), name="meeting_day_order"),
            models.CheckConstraint(
                condition=models.Q(session_end__gt=models.F("session_start")), name="meeting_session_order"
            ),
        ]
        indexes = [models.Index(fields=["study_group", "state", "first_day"], name="meeting_listing_idx")]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.first_day and self.last_day:
            if self.last_day < self.first_day:
                errors["last_day"] = _("The last day cannot be before the first day.")
            elif (self.last_day - self.first_day).days + 1 > MAX_MEETING_DAYS:
                errors["last_day"] = _("A meeting lasts at most %(days)d days.") % {"days": MAX_MEETING_DAYS}
        if self.session_start and self.session_end and self.session_end <= self.session_start:
            errors["session_end"] = _("The daily sessions must end after they start.")
        if self.format != self.Format.VIRTUAL and not self.venue.strip():
            errors["venue"] = _("A physical or hybrid meeting needs a venue.")
        if self.pk and self.first_day and "first_day" not in errors:
            clash = self.deadlines.filter(is_manual=True, day__gte=self.first_day).order_by("day").first()
            if clash is not None:
                errors["first_day"] = _(
                    "The deadline “%(kind)s” was set by hand to %(day)s, which is not before this first day. "
                    "Change that deadline first."
                ) % {"kind": clash.get_kind_display(), "day": day_text(clash.day)}
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self):
        if self.title:
            return self.title
        titles = {
            "virtual": _("Virtual meeting of Study Group %(number)s"),
            "physical": _("Meeting of Study Group %(number)s"),
            "hybrid": _("Hybrid meeting of Study Group %(number)s"),
        }
        return titles[self.format] % {"number": self.study_group.number}

    @property
    def signatory_title_text(self) -> str:
        return usual_text(self.signatory_title)

    @property
    def letter_reference_text(self) -> str:
        """The letter's reference in the reader's language: the usual "TSB Collective letter 12/17" is translated,
        anything else the secretariat typed is shown as typed."""
        return translated_letter_reference(self.letter_reference)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_virtual(self):
        return self.format == self.Format.VIRTUAL

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.first_day, self.session_start, tzinfo=self.zone)

    @property
    def is_public(self):
        return self.state != self.State.DRAFT


class MeetingText(models.Model):
    """The meeting's free texts in one of the other official languages, written by the secretariat.

    English is the meeting's own fields; a text left empty here is shown in English, marked as such.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = LineField(_("title"), max_length=200, blank=True)
    practical_information = ParagraphsField(_("practical information"), blank=True, max_length=20000)
    draft_agenda = ParagraphsField(_("draft agenda (Annex B)"), blank=True, max_length=50000)
    updated_at = models.DateTimeField(auto_now=True)

    TRANSLATED_FIELDS = ("title", "practical_information", "draft_agenda")

    class Meta:
        verbose_name = _("meeting text")
        verbose_name_plural = _("meeting texts")
        constraints = [models.UniqueConstraint(fields=["meeting", "language"], name="meeting_text_once_per_language")]

    def __str__(self):
        return f"{self.meeting} ({self.language})"


class SideEvent(models.Model):
    class Kind(models.TextChoices):
        TUTORIAL = "tutorial", _("Tutorial")
        MANAGEMENT = "management", _("Management team meeting")
        JCA = "jca", _("JCA meeting")
        WORKSHOP = "workshop", _("Workshop")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="side_events")
    title = LineField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    registration_url = models.URLField(
        _("separate registration"), blank=True, help_text=_("If the event has its own registration, its address.")
    )

    class Meta:
        verbose_name = _("side event")
        verbose_name_plural = _("side events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="side_event_order")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The side event must end after it starts.")
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None and self.starts_at and meeting.first_day and meeting.last_day:
            day = self.starts_at.astimezone(meeting.zone).date()
            if not meeting.first_day - SIDE_EVENT_MARGIN <= day <= meeting.last_day + SIDE_EVENT_MARGIN:
                errors["starts_at"] = _(
                    "A side event must take place within %(days)d days of the meeting (%(first)s to %(last)s)."
                ) % {
                    "days": SIDE_EVENT_MARGIN.days,
                    "first": day_text(meeting.first_day),
                    "last": day_text(meeting.last_day),
                }
        if errors:
            raise ValidationError(errors)


class KeyDeadline(models.Model):
    class Kind(models.TextChoices):
        TRANSLATION = deadlines.TRANSLATION, _("Contributions for which translation is requested")
        FELLOWSHIP = deadlines.FELLOWSHIP, _("Fellowship requests")
        REGISTRATION = deadlines.REGISTRATION, _("Registration")
        VISA = deadlines.VISA, _("Visa support requests")
        CONTRIBUTIONS = deadlines.CONTRIBUTIONS, _("Member contributions (Direct Document Posting)")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    day = models.DateField(_("day"))
    label = models.CharField(_("label"), max_length=300, blank=True)
    is_manual = models.BooleanField(_("set by hand"), default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("set at"), null=True, blank=True)

    class Meta:
        verbose_name = _("key deadline")
        verbose_name_plural = _("key deadlines")
        ordering = ["day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="unique_deadline_kind"),
            models.CheckConstraint(
                condition=models.Q(is_manual=False) | ~models.Q(reason=""), name="manual_deadline_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.day:%d %B %Y}"

    def clean(self):
        errors = {}
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None and self.day and meeting.first_day and self.day >= meeting.first_day:
            errors["day"] = _("A deadline must fall before the meeting starts (first day: %(first)s).") % {
                "first": day_text(meeting.first_day)
            }
        if self.is_manual and not self.reason.strip():
            errors["reason"] = _("Say why this deadline differs from the computed one.")
        if errors:
            raise ValidationError(errors)

    @property
    def closes_at(self) -> datetime.datetime:
        """The first instant after the deadline's day in the meeting's zone."""
        return deadlines.end_of_day(self.day, self.meeting.time_zone)

    def is_open(self, at: datetime.datetime | None = None) -> bool:
        return (at or timezone.now()) < self.closes_at


class LetterIssue(models.Model):
    """A collective letter as issued: the letter itself (number 0), kept as it read on the day it was issued, and
    each addendum to it (number 1, 2 …) with what it changed.

    The meeting's own fields move on when the secretariat changes them; these rows never change.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="letter_issues")
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("0 for the letter, N for Addendum N."))
    reference = models.CharField(_("reference"), max_length=200)
    issued_on = models.DateField(_("date"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signatory = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=400)
    body_html = models.TextField(_("letter as issued"), blank=True)
    # The letter as issued in the other languages: {"fr": {"subject": …, "body_html": …}, …}
    translations = models.JSONField(_("translations as issued"), default=dict, blank=True)
    # [{"what": "Registration", "before": "24 July 2021", "after": "17 July 2021"}, …]
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("collective letter as issued")
        verbose_name_plural = _("collective letters as issued")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="unique_letter_issue")]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        if not self.is_addendum:
            return reverse("meetings:letter", kwargs={"pk": self.meeting_id})
        return reverse("meetings:addendum", kwargs={"pk": self.meeting_id, "number": self.number})

    @property
    def reference_text(self) -> str:
        return translated_letter_reference(self.reference)

    @property
    def signatory_title_text(self) -> str:
        return usual_text(self.signatory_title)

    def as_issued_in(self, language: str) -> tuple[str, str, str]:
        """(subject, body HTML, the language they are in): the letter in ``language`` if it was issued in it,
        else in English."""
        version = self.translations.get(language)
        if version:
            return version["subject"], version["body_html"], language
        return self.subject, self.body_html, settings.LANGUAGE_CODE

    @property
    def is_addendum(self) -> bool:
        return self.number > 0


class PdfJob(models.Model):
    """A PDF too slow to render inside a request (the participants list of a large meeting), rendered by a worker
    into the file storage. Its page shows where it is, then hands out the file (``meetings.pdf_jobs``)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RENDERING = "rendering", _("Being rendered")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pdf_jobs")
    kind = models.CharField(_("kind"), max_length=32)
    # The PDF is rendered in the language of the page that asked for it.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    file = models.FileField(_("file"), upload_to="generated/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=200)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF job")
        verbose_name_plural = _("PDF jobs")
        indexes = [models.Index(fields=["meeting", "kind", "state"], name="pdfjob_meeting_kind_idx")]

    def __str__(self):
        return f"{self.kind} PDF of {self.meeting_id} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
