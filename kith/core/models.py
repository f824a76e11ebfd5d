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


class WorkerHeartbeat(models.Model):
    """One running `kith worker`, touched every few seconds (`kith.core.background`).

    A task left RUNNING by a worker whose heartbeat has gone stale was cut off mid-way (the
    process was killed, the machine went away): the next worker puts it back in the queue.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["started_at", "worker_id"]

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.hostname or 'an unknown host'}"


class ScheduledRun(BaseModel):
    """The lease on one period of one scheduled job: whoever inserts the row runs the period.

    The unique constraint is the whole mechanism, so any number of workers on one database run
    each period once (`kith.core.background.schedule_tick`).
    """

    job_name = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta(BaseModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["job_name", "period_start"], name="core_scheduled_run_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_name} for {self.period_start:%Y-%m-%d %H:%M}"


class OutgoingMessage(BaseModel):
    """An email or text message waiting for the worker to send it (`kith.core.notify`).

    The task that sends it carries only this row's id, so the recipient and the words (which can
    hold a sign-in secret) never sit in the task queue; once sent, both are blanked here.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be sent"
        SENT = "sent", "Sent"

    channel = models.CharField(max_length=5, choices=Channel.choices)
    to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.WAITING)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ({self.get_status_display()})"
