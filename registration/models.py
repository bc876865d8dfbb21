from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from meetings.models import Meeting, StudyGroup
from sg17portal.text import LineField


class MemberEntity(models.Model):
    """A member of ITU-T that sends delegates: an Administration, a Sector Member, an Associate or Academia."""

    class Category(models.TextChoices):
        # Declared in the order ITU lists participants.
        ADMINISTRATION = "administration", _("Administration of a Member State")
        SECTOR_MEMBER = "sector_member", _("Sector Member")
        ASSOCIATE = "associate", _("Associate")
        ACADEMIA = "academia", _("Academia")

    name = LineField(_("name"), max_length=300)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    associate_of = models.ForeignKey(
        StudyGroup,
        verbose_name=_("associate of study group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="associates",
    )
    country = CountryField(_("country"))
    auto_approval = models.BooleanField(
        _("automatic approval"),
        default=False,
        help_text=_("Registrations for this entity are approved at once (TSB Circular 118)."),
    )
    focal_points = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("focal points"), related_name="focal_point_of", blank=True
    )

    class Meta:
        verbose_name = _("member entity")
        verbose_name_plural = _("member entities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="unique_entity_name_country"),
            models.CheckConstraint(
                condition=models.Q(category="associate", associate_of__isnull=False)
                | (~models.Q(category="associate") & models.Q(associate_of__isnull=True)),
                name="associate_has_study_group",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # The check constraint says the same; here the message lands on the field to correct.
        if self.category == self.Category.ASSOCIATE and self.associate_of_id is None:
            raise ValidationError({"associate_of": _("An Associate needs the study group it is associate of.")})
        if self.category != self.Category.ASSOCIATE and self.associate_of_id is not None:
            raise ValidationError({"associate_of": _("Only an Associate is associate of a study group.")})

    @property
    def is_member_state(self):
        return self.category == self.Category.ADMINISTRATION


class Affiliation(models.Model):
    """A person recognised (or asking to be) as a member of an entity; approved makes them a *member*."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Confirmed")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations")
    entity = models.ForeignKey(MemberEntity, on_delete=models.CASCADE, related_name="affiliations")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-requested_at"]
        constraints = [models.UniqueConstraint(fields=["user", "entity"], name="unique_affiliation")]
        indexes = [models.Index(fields=["user", "state"], name="affiliation_member_idx")]

    def __str__(self):
        return f"{self.user} – {self.entity}"


class Registration(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    class Participation(models.TextChoices):
        REMOTE = "remote", _("Remote")
        IN_PERSON = "in_person", _("In person")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="registrations")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations")
    entity = models.ForeignKey(MemberEntity, on_delete=models.PROTECT, related_name="registrations")
    participation = models.CharField(
        _("participation"), max_length=16, choices=Participation.choices, default=Participation.REMOTE
    )
    head_of_delegation = models.BooleanField(_("head of delegation"), default=False)
    fellowship_requested = models.BooleanField(_("fellowship requested"), default=False)
    visa_support_requested = models.BooleanField(_("visa support requested"), default=False)
    # Only asked with a visa-support request: the letter names them.
    nationality = CountryField(_("nationality"), blank=True)
    passport_number = models.CharField(_("passport number"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    is_late = models.BooleanField(_("late"), default=False)
    approved_automatically = models.BooleanField(_("approved automatically"), default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            # One live registration per person and meeting; a rejected or cancelled one may be followed by another.
            models.UniqueConstraint(
                fields=["meeting", "delegate"],
                condition=models.Q(state__in=["pending", "approved"]),
                name="one_registration_per_meeting",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "state"], name="registration_queue_idx"),
            models.Index(fields=["meeting", "state"], name="registration_meeting_idx"),
        ]

    def __str__(self):
        return f"{self.delegate} – {self.meeting}"

    def get_absolute_url(self):
        return reverse("registration:detail", kwargs={"pk": self.pk})

    # Django's own get_FOO_display builds a dict of the field's choices at each call, hashing every label (each a
    # translation): on the secretariat's page of 200 registrations that was about a third of the rendering. These
    # look the one label up in the choices (Django keeps a method a model defines itself).
    def get_state_display(self):
        return _choice_label(self.State, self.state)

    def get_participation_display(self):
        return _choice_label(self.Participation, self.participation)

    @property
    def is_active(self):
        return self.state in (self.State.PENDING, self.State.APPROVED)


def _choice_label(choices: type[models.TextChoices], value: str):
    """The label of ``value`` among ``choices``, or ``value`` itself if it is none of them (as Django's does)."""
    try:
        return choices(value).label
    except ValueError:
        return value


class RegistrationEvent(models.Model):
    """One change of a registration's state, kept for its history."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    from_state = models.CharField(_("from"), max_length=16, choices=Registration.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=Registration.State.choices)
    reason = models.CharField(_("reason"), max_length=1000, blank=True)
    automatic = models.BooleanField(_("automatic"), default=False)

    class Meta:
        verbose_name = _("registration change")
        verbose_name_plural = _("registration history")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_state or '∅'} → {self.to_state}"
