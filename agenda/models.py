"""The agenda and the time plan of a meeting, each as a draft and a series of published versions.

Each meeting has at most one draft of each (``number`` is NULL) and any number of published versions
(numbered 1, 2, …). Publishing copies the draft's rows into a new version; the draft keeps its rows, so
the secretariat goes on editing the same items. Items and sessions keep a ``uid`` across copies: it is
how versions are compared, and the UID of a session in calendars.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, Question
from sg17portal.text import LineField, ParagraphsField


class VersionBase(models.Model):
    """What the agenda and the time plan share: a draft or a frozen, numbered version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("version"), null=True, blank=True, help_text=_("Empty for the draft."))
    note = models.CharField(_("note"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The optimistic lock of the draft: every change raises it, and a form that was opened on another
    # revision is refused.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="%(class)s_unique_number"),
            models.UniqueConstraint(
                fields=["meeting"], condition=models.Q(number__isnull=True), name="%(class)s_one_draft"
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True, published_at__isnull=True)
                | models.Q(number__isnull=False, published_at__isnull=False),
                name="%(class)s_published_has_time",
            ),
        ]

    @property
    def is_draft(self):
        return self.number is None


class AgendaVersion(VersionBase):
    issue_as_td = models.BooleanField(
        _("issue as a TD"),
        default=False,
        help_text=_("Its PDF is posted as the meeting's agenda TD, or as the next revision of that TD."),
    )
    td_revision = models.ForeignKey(
        "documents.Revision",
        verbose_name=_("issued as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(VersionBase.Meta):
        verbose_name = _("agenda version")
        verbose_name_plural = _("agenda versions")

    def __str__(self):
        if self.is_draft:
            return str(_("Draft agenda"))
        return str(_("Agenda, version %(number)s") % {"number": self.number})

    @property
    def td_pending(self):
        return self.issue_as_td and self.td_revision_id is None


class AgendaItem(models.Model):
    """One item of an agenda version; its number (2, 2 a), …) comes from its place in the tree."""

    version = models.ForeignKey(AgendaVersion, on_delete=models.CASCADE, related_name="items")
    uid = models.UUIDField(_("identity"), default=uuid.uuid4, editable=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("under"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = LineField(_("title"), max_length=500)
    description = ParagraphsField(_("description"), blank=True, max_length=4000)
    working_party = models.CharField(
        _("working party"), max_length=50, blank=True, help_text=_('For example "WP1/17" or "Plenary".')
    )
    questions = models.ManyToManyField(Question, verbose_name=_("Questions"), blank=True, related_name="+")
    documents = models.ManyToManyField(
        "documents.Document", verbose_name=_("documents"), blank=True, related_name="agenda_items"
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["version", "parent_id", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "uid"], name="agenda_item_unique_uid")]
        indexes = [models.Index(fields=["version", "parent", "position"], name="agenda_item_tree_idx")]

    def __str__(self):
        return self.title


class TimePlanVersion(VersionBase):
    class Meta(VersionBase.Meta):
        verbose_name = _("time plan version")
        verbose_name_plural = _("time plan versions")

    def __str__(self):
        if self.is_draft:
            return str(_("Draft time plan"))
        return str(_("Time plan, version %(number)s") % {"number": self.number})


class Session(models.Model):
    """A session of the time plan. Times are stored in UTC and entered in the meeting's zone."""

    version = models.ForeignKey(TimePlanVersion, on_delete=models.CASCADE, related_name="sessions")
    uid = models.UUIDField(_("identity"), default=uuid.uuid4, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = LineField(_("title"), max_length=200, help_text=_('For example "Q4/17" or "Closing plenary".'))
    room = models.CharField(_("room"), max_length=100, blank=True, help_text=_("Leave empty for a virtual session."))
    captioning = models.BooleanField(_("captioning"), default=False)
    remote_participation = models.BooleanField(_("remote participation"), default=True)
    join_url = models.URLField(
        _("remote-participation link"),
        blank=True,
        help_text=_("Shown only to delegates whose registration for the meeting is approved."),
    )
    questions = models.ManyToManyField(Question, verbose_name=_("Questions"), blank=True, related_name="+")
    # Agenda items are referred to by their uid: the agenda has versions of its own.
    agenda_item_uids = models.JSONField(_("agenda items"), default=list, blank=True)
    # The iCalendar SEQUENCE: raised when a publication changes the session's time, place or title.
    sequence = models.PositiveIntegerField(_("sequence"), default=0)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["version", "starts_at", "room", "title"]
        constraints = [
            models.UniqueConstraint(fields=["version", "uid"], name="session_unique_uid"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_order",
                violation_error_message=_("A session ends after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["version", "starts_at"], name="session_time_idx")]

    def __str__(self):
        return self.title

    @property
    def is_virtual(self):
        return not self.room


class CalendarKey(models.Model):
    """The secret a person's calendar subscription links are signed with; replacing it ends all of them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_key")
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar key")
        verbose_name_plural = _("calendar keys")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
