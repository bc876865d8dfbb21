"""Documents of a study group: contributions (C), temporary documents (TD) and collective letters.

A document has revisions (the original is revision 0, then Rev.1, Rev.2 …) and each revision one or
more files. Numbers come from a ``NumberSeries`` row per study group, study period, kind and (for TDs
numbered per scope) scope, allocated under a row lock by ``documents.numbering``.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting, Question, StudyGroup, StudyPeriod
from registration.models import MemberEntity
from sg17portal.text import LineField, ParagraphsField

ABSTRACT_MAX_LENGTH = 4000


class Kind(models.TextChoices):
    CONTRIBUTION = "C", _("Contribution")
    TD = "TD", _("Temporary document")
    COLLECTIVE_LETTER = "COL", _("Collective letter")


class TdType(models.TextChoices):
    """What a TD is; liaison statements and reports are TDs too."""

    GENERAL = "general", _("Temporary document")
    LIAISON_INCOMING = "ls_in", _("Liaison statement (incoming)")
    LIAISON_OUTGOING = "ls_out", _("Liaison statement (outgoing)")
    REPORT = "report", _("Report")


class Scope(models.TextChoices):
    """Where a TD is handled. The short code is the suffix of a per-scope series ("TD 73/2")."""

    PLEN = "PLEN", _("Plenary")
    GEN = "GEN", _("General")
    WP1 = "WP1", _("Working Party 1")
    WP2 = "WP2", _("Working Party 2")
    WP3 = "WP3", _("Working Party 3")
    WP4 = "WP4", _("Working Party 4")


SCOPE_SUFFIX = {"PLEN": "P", "GEN": "G", "WP1": "1", "WP2": "2", "WP3": "3", "WP4": "4"}

# Kinds whose documents anyone may read; everything else is for members and the secretariat.
PUBLIC_KINDS = frozenset({Kind.COLLECTIVE_LETTER})


class NumberSeries(models.Model):
    """The last number given in one series; its row stays locked from the moment a number is taken until the
    transaction that takes it ends (``documents.numbering``)."""

    study_group = models.ForeignKey(StudyGroup, on_delete=models.PROTECT, related_name="+")
    study_period = models.ForeignKey(StudyPeriod, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    scope = models.CharField(_("scope"), max_length=8, blank=True, help_text=_("Empty for a single series."))
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(fields=["study_group", "study_period", "kind", "scope"], name="unique_series")
        ]

    def __str__(self):
        return f"{self.study_group} {self.study_period} {self.kind} {self.scope}".strip()


class Document(models.Model):
    study_group = models.ForeignKey(StudyGroup, on_delete=models.PROTECT, related_name="documents")
    study_period = models.ForeignKey(StudyPeriod, on_delete=models.PROTECT, related_name="documents")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    td_type = models.CharField(_("type of TD"), max_length=16, choices=TdType.choices, blank=True)
    number = models.PositiveIntegerField(_("number"))
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, blank=True)
    series = models.CharField(
        _("series"),
        max_length=8,
        blank=True,
        help_text=_("The scope whose series gave the number; empty when the study period has one series."),
    )
    title = LineField(_("title"), max_length=500)
    source = models.CharField(_("source"), max_length=300, help_text=_('The entity, or "Editor", "TSB" …'))
    source_entity = models.ForeignKey(
        MemberEntity, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    questions = models.ManyToManyField(Question, verbose_name=_("Questions"), blank=True, related_name="documents")
    abstract = ParagraphsField(_("abstract"), blank=True, max_length=ABSTRACT_MAX_LENGTH)
    translation_requested = models.BooleanField(_("translation requested"), default=False)
    is_late = models.BooleanField(_("late"), default=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="posted_documents"
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    latest_revision = models.PositiveSmallIntegerField(_("latest revision"), default=0)
    last_revised_at = models.DateTimeField(_("last revised at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["kind", "series", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["study_group", "study_period", "kind", "series", "number"], name="unique_document_number"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="TD") | (models.Q(td_type="") & models.Q(scope="") & models.Q(series="")),
                name="only_tds_have_type_and_scope",
            ),
            models.CheckConstraint(condition=models.Q(number__gt=0), name="document_number_positive"),
        ]
        indexes = [
            models.Index(fields=["meeting", "kind", "series", "number"], name="document_list_idx"),
            models.Index(fields=["meeting", "last_revised_at"], name="document_recent_idx"),
            # The sources a meeting's list offers to filter by (``documents.queries.meeting_sources``, in every
            # plain list's mark): read from the index alone rather than from every row of the meeting.
            models.Index(fields=["meeting", "source"], name="document_source_idx"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"pk": self.pk})

    @property
    def base_name(self) -> str:
        """The document's name without revision: "C 123", "TD 230 (PLEN)", "TD 73/2"."""
        return self.revision_name(0)

    @property
    def display_name(self) -> str:
        """The name ITU uses for the latest revision: "C 123 Rev.1", "TD 230 Rev.1 (PLEN)", "TD 73/2 Rev.2"."""
        return self.revision_name(self.latest_revision)

    def revision_name(self, revision: int) -> str:
        sg_number = self.study_group.number if self.kind == Kind.COLLECTIVE_LETTER else None
        return document_name(self.kind, self.number, self.scope, self.series, revision, sg_number)

    @property
    def is_public(self) -> bool:
        return self.kind in PUBLIC_KINDS

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_contribution(self) -> bool:
        return self.kind == Kind.CONTRIBUTION

    @property
    def is_td(self) -> bool:
        return self.kind == Kind.TD


def document_name(
    kind: str, number: int, scope: str, series: str, revision: int = 0, sg_number: int | None = None
) -> str:
    """A document's name as ITU writes it; a single-series TD keeps its scope label last ("TD 230 Rev.1 (PLEN)")."""
    suffix = f" Rev.{revision}" if revision else ""
    if kind == Kind.TD:
        if series:
            return f"TD {number}/{SCOPE_SUFFIX.get(series, series)}{suffix}"
        return f"TD {number}{suffix} ({scope})" if scope else f"TD {number}{suffix}"
    if kind == Kind.COLLECTIVE_LETTER:
        return f"Collective letter {number}/{sg_number}{suffix}"
    return f"{kind} {number}{suffix}"


class Revision(models.Model):
    """One version of a document: 0 is the original, then Rev.1, Rev.2 …"""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_revision")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.document.revision_name(self.number)


class StoredFile(models.Model):
    """What every stored upload has: a server-chosen storage name, the sender's name, size and SHA-256."""

    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("format"), max_length=8)

    class Meta:
        abstract = True


class DocumentFile(StoredFile):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=120, help_text=_("The canonical name it is served under."))

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["revision", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("documents:file", kwargs={"pk": self.pk, "name": self.name})


class TdDraft(models.Model):
    """A draft TD waiting in the secretariat's queue: sent by mail or uploaded by a member."""

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the sender's confirmation")
        PENDING = "pending", _("Waiting for the secretariat")
        POSTED = "posted", _("Posted")
        DECLINED = "declined", _("Declined")

    class Channel(models.TextChoices):
        MAIL = "mail", _("E-mail")
        UPLOAD = "upload", _("Upload")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="td_drafts")
    channel = models.CharField(_("received by"), max_length=8, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="td_drafts"
    )
    sender_email = models.EmailField(_("sender"))
    subject = LineField(_("subject"), max_length=500, blank=True)
    message = models.TextField(_("message"), blank=True)
    message_id = models.CharField(_("message id"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    document = models.OneToOneField(Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft")
    note = models.TextField(
        _("note"), blank=True, help_text=_("How the sender was confirmed, and the parts of the mail left out.")
    )
    # SHA-256 of the one-time link mailed to the sender of an unconfirmed draft; the link itself is not kept.
    confirmation_digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("TD draft")
        verbose_name_plural = _("TD drafts")
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["state", "received_at"], name="td_queue_idx")]
        constraints = [
            # A mail server delivering a message twice gives one draft; another sender's message that
            # happens to reuse the Message-ID is another draft.
            models.UniqueConstraint(
                Lower("sender_email"),
                "message_id",
                condition=~models.Q(message_id=""),
                name="one_draft_per_sender_and_message",
            )
        ]

    def __str__(self):
        return self.subject or f"TD draft {self.pk}"

    def get_absolute_url(self):
        return reverse("documents:td_draft", kwargs={"pk": self.pk})


class TdDraftFile(StoredFile):
    draft = models.ForeignKey(TdDraft, on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = _("TD draft file")
        verbose_name_plural = _("TD draft files")
        ordering = ["draft", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("documents:td_draft_file", kwargs={"pk": self.pk})


class DigestSubscription(models.Model):
    """Someone who gets a daily mail of a meeting's new and revised documents."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_digests")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="document_digests")
    created_at = models.DateTimeField(default=timezone.now)
    last_digest_day = models.DateField(_("last day sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        constraints = [models.UniqueConstraint(fields=["user", "meeting"], name="one_digest_per_meeting")]

    def __str__(self):
        return f"{self.user} – {self.meeting}"


class DailyRun(models.Model):
    """The last day a once-a-day job ran; the sweep locks the row so concurrent sweeps run it once."""

    name = models.CharField(max_length=100, unique=True)
    last_day = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")

    def __str__(self):
        return f"{self.name}: {self.last_day}"
