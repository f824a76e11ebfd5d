"""Integrated community teams. For now only what routing an ask needs; a later issue adds more."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kith.core.models import BaseModel


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

    class Meta(BaseModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="care_team_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def districts(self) -> list[str]:
        return [
            part.strip().upper().replace(" ", "")
            for part in self.postcode_districts.split(",")
            if part.strip()
        ]
