"""Teams and their members. The tables kept their names (care_team, care_teammember) when the
models moved here from `kith.care` (migration teams 0001)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kith.core.errors import ValidationFailed
from kith.core.models import BaseModel
from kith.teams.areas import area_bounds, area_clean

AREA_BOUNDS_FIELDS = (
    "area_min_latitude",
    "area_max_latitude",
    "area_min_longitude",
    "area_max_longitude",
)


class Team(BaseModel):
    name = models.CharField(_("name"), max_length=200)
    postcode_districts = models.TextField(
        _("postcode districts"),
        blank=True,
        help_text=_("Outward codes this team covers, separated by commas, like SW9, SE11."),
    )
    response_time_hours = models.PositiveIntegerField(
        _("response time in hours"),
        default=24,
        help_text=_("How soon the team promises to get in touch with someone who asks for help."),
    )
    is_default = models.BooleanField(
        _("default team"),
        default=False,
        help_text=_("Takes asks from anywhere no other team covers."),
    )
    # How a person reaches the team themselves: on an ask's confirmation page and message.
    contact_phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        help_text=_("The number people can call the team on, like 020 7946 0123."),
    )
    contact_email = models.EmailField(
        _("email"), blank=True, help_text=_("The address people can email the team at.")
    )
    contact_hours = models.CharField(
        _("when someone answers"),
        max_length=200,
        blank=True,
        help_text=_("In plain words, like: Monday to Friday, 9am to 5pm."),
    )
    # The area as a GeoJSON Polygon or MultiPolygon ([longitude, latitude] points), checked by
    # `kith.teams.areas.area_clean`. Asks from a postcode inside it come here when no team's
    # districts match. The bounding box is derived on save so routing can prefilter in SQL.
    area = models.JSONField(
        _("area"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. A GeoJSON Polygon or MultiPolygon, with points as [longitude, latitude]. "
            "Asks from postcodes inside it come to this team when no team's districts match."
        ),
    )
    area_min_latitude = models.FloatField(null=True, blank=True, editable=False)
    area_max_latitude = models.FloatField(null=True, blank=True, editable=False)
    area_min_longitude = models.FloatField(null=True, blank=True, editable=False)
    area_max_longitude = models.FloatField(null=True, blank=True, editable=False)

    class Meta(BaseModel.Meta):
        db_table = "care_team"
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="care_team_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        try:
            self.area = area_clean(self.area)
        except ValidationFailed as error:
            raise ValidationError({"area": error.message}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep only a well-formed area (ValidationFailed otherwise), and its bounding box in step
        with it, whoever saves the team."""
        self.area = area_clean(self.area)
        bounds = area_bounds(self.area) if self.area else None
        (
            self.area_min_latitude,
            self.area_max_latitude,
            self.area_min_longitude,
            self.area_max_longitude,
        ) = bounds or (None, None, None, None)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "area" in update_fields:
            kwargs["update_fields"] = {*update_fields, *AREA_BOUNDS_FIELDS}
        super().save(*args, **kwargs)

    @property
    def districts(self) -> list[str]:
        return [
            part.strip().upper().replace(" ", "")
            for part in self.postcode_districts.split(",")
            if part.strip()
        ]


class Role(models.TextChoices):
    PEER_WORKER = "peer-worker", _("Peer worker")
    SOCIAL_PRESCRIBER = "social-prescriber", _("Social prescriber")
    NURSE = "nurse", _("Nurse")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PSYCHIATRIST = "psychiatrist", _("Psychiatrist")
    OCCUPATIONAL_THERAPIST = "occupational-therapist", _("Occupational therapist")
    HOUSING_ADVISER = "housing-adviser", _("Housing adviser")
    DEBT_ADVISER = "debt-adviser", _("Debt adviser")
    EMPLOYMENT_ADVISER = "employment-adviser", _("Employment adviser")
    GP = "gp", _("GP")
    SUPPORT_WORKER = "support-worker", _("Support worker")
    OTHER = "other", _("Other role")


class TeamMember(BaseModel):
    """A member of staff in a team. Members come from different organisations and roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    display_name = models.CharField(_("name"), max_length=100)
    organisation_name = models.CharField(
        _("organisation"), max_length=200, help_text=_("Like: Stockwell GP practice")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_lead = models.BooleanField(_("team lead"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta(BaseModel.Meta):
        db_table = "care_teammember"
        constraints = [
            # One active membership per user, so "my team" is never ambiguous.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_active=True),
                name="care_teammember_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.team})"
