"""Background work: tasks retried with back-off, scheduled jobs, and workers that go missing.

Built on Django's task framework (`django.tasks`) with the database backend (`django-tasks-db`),
so the queue lives in the same SQLite or PostgreSQL database as everything else and a write and
the work it starts commit together. `kith worker` (kith/core/management/commands/worker.py)
runs the queue; `kith serve` starts one beside the web server.

Contract:
- `@background_task` makes a task that is retried when it raises: attempt n+1 waits
  `backoff * 2**(n-1)` (at most `max_backoff`), until `max_attempts`; then it stays FAILED, with
  its traceback, in the admin (Tasks Database Backend > Task results). A task takes ids and plain
  values, never personal data (architecture section 6), and running it twice does no harm.
- `enqueue_on_commit(task, ...)` enqueues once the current transaction commits: nothing is
  enqueued for a write that rolls back.
- Scheduled jobs are `Job`s in one list (`settings.KITH_SCHEDULE`). `schedule_tick()` claims each
  job's current period by inserting a `ScheduledRun` row, unique per job and period, and enqueues
  the task in the same transaction: however many workers tick, each period runs once. A worker
  that was down finds the current period unclaimed and runs it: one catch-up run, not one per
  missed period.
- Each worker touches its `WorkerHeartbeat` row every few seconds. `tasks_requeue_lost()` puts a
  task that has been RUNNING on a worker silent for `KITH_WORKER_LOST_AFTER_SECONDS` back in the
  queue (or ends it FAILED as `WorkerLost` when it has used all its attempts).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.tasks import Task, TaskResult, TaskResultStatus, task
from django.tasks.base import DEFAULT_TASK_PRIORITY, DEFAULT_TASK_QUEUE_NAME
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from kith.core.models import OutgoingMessage, ScheduledRun, WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):  # noqa: N818 - the name says what happened, as the admin shows it
    """Recorded on a task whose worker stopped while running it, after its last attempt."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff: dt.timedelta = dt.timedelta(seconds=30)
    max_backoff: dt.timedelta = dt.timedelta(hours=1)

    def delay_after(self, attempts: int) -> dt.timedelta:
        """How long to wait after `attempts` failed attempts (1, 2, ...) before the next."""
        return min(self.backoff * 2 ** max(attempts - 1, 0), self.max_backoff)


# A task made with plain `django.tasks.task` is tried once, as Django's own backends do.
NO_RETRY = RetryPolicy(max_attempts=1)
_retry_policies: dict[str, RetryPolicy] = {}


def retry_policy_for(task_path: str) -> RetryPolicy:
    return _retry_policies.get(task_path, NO_RETRY)


def background_task(
    function: Callable[..., Any] | None = None,
    *,
    max_attempts: int = 5,
    backoff: dt.timedelta = dt.timedelta(seconds=30),
    max_backoff: dt.timedelta = dt.timedelta(hours=1),
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
) -> Any:
    """`django.tasks.task`, retried with exponential back-off when it raises."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be 1 or more")

    def wrap(func: Callable[..., Any]) -> Task:
        made: Task = task(priority=priority, queue_name=queue_name)(func)
        _retry_policies[made.module_path] = RetryPolicy(
            max_attempts=max_attempts, backoff=backoff, max_backoff=max_backoff
        )
        return made

    return wrap(function) if function is not None else wrap


def enqueue_on_commit(task_to_run: Task, *args: Any, **kwargs: Any) -> None:
    """Enqueue once the current transaction commits (at once outside one). A failure to enqueue
    is logged and never undoes the write that asked for the work."""
    transaction.on_commit(partial(task_to_run.enqueue, *args, **kwargs), robust=True)


def task_retry_or_give_up(sender: Any, task_result: TaskResult, **kwargs: Any) -> None:
    """`task_finished` receiver: a failed attempt of a database-queue task with attempts left
    goes back in the queue, to run after its back-off. Never raises: it runs inside the worker."""
    try:
        if task_result.status != TaskResultStatus.FAILED:
            return
        if getattr(task_result, "db_result", None) is None:  # not the database queue
            return
        policy = retry_policy_for(task_result.task.module_path)
        attempts = task_result.attempts
        if attempts >= policy.max_attempts:
            logger.error(
                "Task %s (%s) failed on attempt %d of %d and will not be retried",
                task_result.id,
                task_result.task.name,
                attempts,
                policy.max_attempts,
            )
            return
        run_after = timezone.now() + policy.delay_after(attempts)
        DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=run_after, finished_at=None
        )
        logger.warning(
            "Task %s (%s) failed on attempt %d of %d; it runs again after %s",
            task_result.id,
            task_result.task.name,
            attempts,
            policy.max_attempts,
            run_after.isoformat(),
        )
    except Exception:
        logger.exception("Could not schedule the retry of task %s", task_result.id)


# Scheduled jobs.

_EPOCH = dt.datetime(2000, 1, 3, tzinfo=dt.UTC)  # a Monday at midnight UTC


@dataclass(frozen=True)
class Job:
    """A task run once per period: `every` a fixed interval (periods counted from a Monday at
    midnight UTC, so every 15 minutes is :00, :15, :30, :45), or `daily_at` a wall-clock time
    in the site's time zone (settings.TIME_ZONE)."""

    name: str
    task: Task
    every: dt.timedelta | None = None
    daily_at: dt.time | None = None

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"Job {self.name!r}: give exactly one of every= and daily_at=")
        if self.every is not None and self.every <= dt.timedelta(0):
            raise ValueError(f"Job {self.name!r}: every= must be positive")
        if len(self.name) > ScheduledRun._meta.get_field("job_name").max_length:  # type: ignore[operator]
            raise ValueError(f"Job {self.name!r}: the name is too long")

    def period_start(self, now: dt.datetime) -> dt.datetime:
        """The start of the period `now` falls in."""
        if self.every is not None:
            return _EPOCH + ((now - _EPOCH) // self.every) * self.every
        if self.daily_at is None:  # __post_init__ makes this impossible
            raise ValueError(f"Job {self.name!r} has no period")
        hour, minute = self.daily_at.hour, self.daily_at.minute
        local = timezone.localtime(now)
        start = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if start > local:
            day_before = local - dt.timedelta(days=1)
            start = day_before.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return start.astimezone(dt.UTC)


def scheduled_jobs() -> list[Job]:
    jobs: list[Job] = list(import_string(settings.KITH_SCHEDULE))
    names = [job.name for job in jobs]
    if len(names) != len(set(names)):
        raise ValueError("Two scheduled jobs share a name")
    return jobs


def schedule_tick(*, now: dt.datetime | None = None, jobs: list[Job] | None = None) -> list[str]:
    """Claim and enqueue every job whose current period nobody has claimed; the names claimed.

    The lease row and the queued task commit together (the database queue is a table in the same
    database), so a claimed period always has its task."""
    now = now or timezone.now()
    claimed = []
    for job in scheduled_jobs() if jobs is None else jobs:
        period = job.period_start(now)
        try:
            if ScheduledRun.objects.filter(job_name=job.name, period_start=period).exists():
                continue
            with transaction.atomic():
                run = ScheduledRun.objects.create(job_name=job.name, period_start=period)
                result = job.task.enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id", "updated_at"])
        except IntegrityError:
            continue  # another worker claimed this period first
        except OperationalError as error:
            if is_locked_database_exception(error):  # SQLite busy: the next tick tries again
                continue
            raise
        claimed.append(job.name)
    return claimed


# Workers.


def worker_heartbeat(*, worker_id: str, started_at: dt.datetime) -> None:
    """This worker is alive now."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at,
            seen_at=now,
        )


def worker_heartbeat_end(*, worker_id: str) -> None:
    """This worker stopped cleanly: it is not lost, it is gone."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_requeue_lost(*, now: dt.datetime | None = None) -> list[str]:
    """Put back in the queue each task RUNNING on a worker whose heartbeat is stale or gone (a
    worker killed mid-task); one with no attempts left ends FAILED as WorkerLost. The ids."""
    now = now or timezone.now()
    lost_after = dt.timedelta(seconds=settings.KITH_WORKER_LOST_AFTER_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - lost_after).values_list(
            "worker_id", flat=True
        )
    )
    requeued = []
    for result in DBTaskResult.objects.running().filter(started_at__lt=now - lost_after):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        attempts = len(result.worker_ids)
        policy = retry_policy_for(result.task_path)
        # Compare-and-set on started_at: a worker that claims it again meanwhile wins.
        same_claim = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if attempts >= policy.max_attempts:
            changed = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"WorkerLost: worker {result.worker_ids[-1] if result.worker_ids else '?'} "
                    f"stopped while running this task, on attempt {attempts} of "
                    f"{policy.max_attempts}.\n"
                ),
            )
            if changed:
                logger.error("Task %s was lost with its worker on its last attempt", result.pk)
            continue
        if same_claim.update(status=TaskResultStatus.READY, run_after=now):
            logger.warning("Task %s was lost with its worker; it is back in the queue", result.pk)
            requeued.append(str(result.pk))
    return requeued


def background_prune(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete what background work leaves behind once it is old: finished tasks (their
    arguments are ids, but still), leases, heartbeats of workers long gone, and messages (sent
    ones are blank already; one never sent is not worth keeping the address for)."""
    now = now or timezone.now()
    keep = now - dt.timedelta(days=settings.KITH_TASK_RESULTS_KEEP_DAYS)
    deleted = {
        "tasks": DBTaskResult.objects.finished().filter(finished_at__lt=keep).delete()[0],
        "scheduled_runs": ScheduledRun.objects.filter(period_start__lt=keep).delete()[0],
        "heartbeats": WorkerHeartbeat.objects.filter(
            seen_at__lt=now - dt.timedelta(days=1)
        ).delete()[0],
        "messages": OutgoingMessage.objects.filter(created_at__lt=keep).delete()[0],
    }
    return deleted
