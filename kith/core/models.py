"""The base every Kith model shares: a UUID key, timestamps and a stable default order."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class SiteState(models.Model):
    """One row describing this deployment's data, e.g. whether the fictional demo is loaded."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    demo_loaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="site_state_single_row")
        ]

    def __str__(self) -> str:
        return "Site state"


class StaffSession(BaseModel):
    """One signed-in staff session, recorded at sign-in (`kith.core.staff_sessions`).

    It lets Kith end every session of a member of staff at once (deactivation) without scanning
    the session table, and a session whose row is gone is signed out on its next request.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_sessions"
    )
    session_key = models.CharField(max_length=40)
    signed_in_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Staff session of user {self.user_id} from {self.signed_in_at:%Y-%m-%d %H:%M}"
