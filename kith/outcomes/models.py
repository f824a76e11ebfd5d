"""A completed outcome measure: the answers as given and the score worked out when saved."""

from __future__ import annotations

from django.db import models

from kith.core.models import BaseModel


class CompletedBy(models.TextChoices):
    PERSON = "person", "The person"
    WORKER = "worker", "The person with a worker"


class MeasureResponse(BaseModel):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="measure_responses"
    )
    involvement = models.ForeignKey(
        "care.Involvement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measure_responses",
    )
    code = models.CharField(max_length=32, db_index=True)
    answers = models.JSONField()
    score = models.JSONField()
    # True when the score raised the "risk" flag (PHQ-9 item 9 above zero): the board reads it.
    is_risk = models.BooleanField(default=False, db_index=True)
    completed_by = models.CharField(max_length=8, choices=CompletedBy.choices)
    member = models.ForeignKey(
        "teams.TeamMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measure_responses",
    )
    completed_at = models.DateTimeField(db_index=True)

    class Meta(BaseModel.Meta):
        ordering = ["completed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_by="person", member__isnull=True)
                | models.Q(completed_by="worker", member__isnull=False),
                name="outcomes_response_completed_by_matches_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} response {self.id}"
