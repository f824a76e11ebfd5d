"""Background work on the real database queue (django-tasks-db), SQLite or PostgreSQL.

These tests swap the inline test backend for the database one (`database_tasks`) and run the
worker loop `kith worker` runs (`run_worker`), so rows, claims, retries and leases are real.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.tasks.signals import task_enqueued
from django.test import Client
from django_tasks_db.models import DBTaskResult

from kith.core import background, notify
from kith.core.background import Job, background_task, enqueue_on_commit, schedule_tick
from kith.core.models import OutgoingMessage, ScheduledRun, WorkerHeartbeat
from kith.core.testing import html
from kith.core.testing.background import database_tasks, run_worker
from kith.core.testing.staff import sign_in_staff

NOW = dt.datetime(2026, 12, 7, 10, 2, 30, tzinfo=dt.UTC)

# What the tasks below did, by test; each test clears it.
RAN: list[str] = []


@background_task
def record(word: str) -> str:
    RAN.append(word)
    return word


@background_task
def tick() -> None:
    RAN.append("tick")


@background_task(max_attempts=3, backoff=dt.timedelta(seconds=10))
def always_fails(word: str) -> None:
    RAN.append(word)
    raise ConnectionError(f"Notify is down ({word})")


@pytest.fixture(autouse=True)
def _database_queue() -> Iterator[None]:
    RAN.clear()
    with database_tasks():
        yield
    RAN.clear()


def _results() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


@pytest.mark.django_db
def test_given_a_task_enqueued_when_the_worker_runs_then_it_runs_once_and_succeeds() -> None:
    # given
    record.enqueue("hello")
    assert RAN == []
    # when
    run_worker()
    # then
    [result] = _results()
    assert (result.status, result.return_value, result.worker_ids) == (
        TaskResultStatus.SUCCESSFUL,
        "hello",
        ["test-worker"],
    )
    assert RAN == ["hello"]


@pytest.mark.django_db
def test_given_a_job_due_when_the_schedule_ticks_then_the_worker_runs_it() -> None:
    # given a job every 15 minutes
    job = Job(name="say-hello", task=tick, every=dt.timedelta(minutes=15))
    # when
    claimed = schedule_tick(now=NOW, jobs=[job])
    run_worker()
    # then: the period is the quarter hour NOW is in, and the job ran
    assert claimed == ["say-hello"]
    [run] = ScheduledRun.objects.all()
    assert (run.job_name, run.period_start) == (
        "say-hello",
        dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC),
    )
    assert RAN == ["tick"]


@pytest.mark.django_db
def test_given_a_failing_task_when_it_runs_then_it_retries_with_back_off_and_ends_failed() -> None:
    # given
    with time_machine.travel(NOW, tick=False) as clock:
        always_fails.enqueue("first")
        # when the first attempt fails
        run_worker()
        # then it waits 10 seconds before the second
        [result] = _results()
        assert (result.status, result.run_after) == (
            TaskResultStatus.READY,
            NOW + dt.timedelta(seconds=10),
        )
        run_worker()
        assert RAN == ["first"]  # not yet due
        # when the second attempt fails, the third waits 20 seconds
        clock.shift(dt.timedelta(seconds=10))
        run_worker()
        result.refresh_from_db()
        assert (result.status, result.run_after) == (
            TaskResultStatus.READY,
            NOW + dt.timedelta(seconds=10 + 20),
        )
        # when the third and last attempt fails
        clock.shift(dt.timedelta(seconds=20))
        run_worker()
    # then it stays failed, with the error, after three attempts
    result.refresh_from_db()
    assert RAN == ["first", "first", "first"]
    assert (result.status, result.exception_class_path, len(result.worker_ids)) == (
        TaskResultStatus.FAILED,
        "builtins.ConnectionError",
        3,
    )
    assert "Notify is down (first)" in result.traceback


@pytest.mark.django_db
def test_given_a_task_that_failed_for_good_when_an_administrator_looks_then_the_admin_shows_it(
    client: Client,
) -> None:
    # given
    always_fails.enqueue("once")
    DBTaskResult.objects.update(worker_ids=["a", "b"])  # two attempts already made
    run_worker()
    [result] = _results()
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "x")
    sign_in_staff(client, admin)
    # when
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    detail = client.get(f"/admin/django_tasks_database/dbtaskresult/{result.pk}/change/")
    # then
    assert listing.status_code == 200
    rows = [row.get_text(" ", strip=True) for row in html(listing).select("#result_list tbody tr")]
    assert len(rows) == 1
    assert "always_fails" in rows[0]
    assert "Failed" in rows[0]
    assert detail.status_code == 200
    assert "ConnectionError: Notify is down (once)" in detail.text


@pytest.mark.django_db(transaction=True)
def test_given_two_workers_when_both_tick_the_same_period_then_the_job_runs_once() -> None:
    # given two workers (threads, each with its own database connection) and one job
    job = Job(name="say-hello", task=tick, every=dt.timedelta(minutes=5))
    start = threading.Barrier(2)
    claimed: list[list[str]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            for _ in range(5):  # a worker ticks every few seconds; all in the same period
                claimed.append(schedule_tick(now=NOW, jobs=[job]))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run_worker()
    # then exactly one tick claimed it, one task was queued, and it ran once
    assert errors == []
    assert len(claimed) == 10
    assert sorted(name for names in claimed for name in names) == ["say-hello"]
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    assert RAN == ["tick"]


@pytest.mark.django_db
def test_given_a_worker_away_for_many_periods_when_it_comes_back_then_it_runs_one_catch_up() -> (
    None
):
    # given a daily job at 03:10 that ran on 4 December, and no worker since
    job = Job(name="nightly", task=tick, daily_at=dt.time(3, 10))
    schedule_tick(now=dt.datetime(2026, 12, 4, 3, 11, tzinfo=dt.UTC), jobs=[job])
    # when a worker comes back at 10:02 on 7 December, and ticks again a minute later
    first = schedule_tick(now=NOW, jobs=[job])
    again = schedule_tick(now=NOW + dt.timedelta(minutes=1), jobs=[job])
    # then it runs today's period once: not the three missed nights
    assert (first, again) == (["nightly"], [])
    assert list(ScheduledRun.objects.values_list("period_start", flat=True)) == [
        dt.datetime(2026, 12, 4, 3, 10, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 7, 3, 10, tzinfo=dt.UTC),
    ]


@pytest.mark.django_db
def test_given_a_worker_killed_mid_task_when_another_worker_keeps_house_then_the_task_runs(
    settings: Any,
) -> None:
    # given a task claimed by a worker whose heartbeat stopped two minutes ago
    settings.KITH_WORKER_LOST_AFTER_SECONDS = 60
    with time_machine.travel(NOW - dt.timedelta(minutes=3), tick=False):
        record.enqueue("survivor")
        DBTaskResult.objects.get().claim("killed-worker")
    WorkerHeartbeat.objects.create(
        worker_id="killed-worker",
        started_at=NOW - dt.timedelta(hours=1),
        seen_at=NOW - dt.timedelta(minutes=2),
    )
    # when
    with time_machine.travel(NOW, tick=False):
        requeued = background.tasks_requeue_lost()
        run_worker("live-worker")
    # then it went back in the queue and ran on the live worker
    [result] = _results()
    assert requeued == [str(result.pk)]
    assert (result.status, result.worker_ids, RAN) == (
        TaskResultStatus.SUCCESSFUL,
        ["killed-worker", "live-worker"],
        ["survivor"],
    )


@pytest.mark.django_db
def test_given_a_task_on_a_live_worker_when_another_worker_keeps_house_then_it_is_left_alone(
    settings: Any,
) -> None:
    # given a long task on a worker that beat a moment ago
    settings.KITH_WORKER_LOST_AFTER_SECONDS = 60
    with time_machine.travel(NOW - dt.timedelta(minutes=3), tick=False):
        record.enqueue("long")
        DBTaskResult.objects.get().claim("busy-worker")
    WorkerHeartbeat.objects.create(
        worker_id="busy-worker", started_at=NOW - dt.timedelta(hours=1), seen_at=NOW
    )
    # when
    with time_machine.travel(NOW, tick=False):
        requeued = background.tasks_requeue_lost()
    # then
    assert requeued == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_given_a_write_that_rolls_back_when_it_enqueued_on_commit_then_nothing_is_queued() -> None:
    # given
    @transaction.atomic
    def write_that_fails() -> None:
        enqueue_on_commit(record, "never")
        raise RuntimeError("the write failed")

    enqueued: list[Any] = []

    def spy(sender: Any, task_result: Any, **kwargs: Any) -> None:
        enqueued.append(task_result)

    task_enqueued.connect(spy)
    # when
    try:
        with pytest.raises(RuntimeError):
            write_that_fails()
    finally:
        task_enqueued.disconnect(spy)
    # then no backend was asked to enqueue anything (this queue's row would roll back with the
    # write anyway; another backend's would not)
    assert enqueued == []
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_given_a_write_that_commits_when_it_enqueued_on_commit_then_the_task_is_queued(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given / when
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(record, "after")
        assert DBTaskResult.objects.count() == 0
    # then
    assert list(DBTaskResult.objects.values_list("args_kwargs", flat=True)) == [
        {"args": ["after"], "kwargs": {}}
    ]


@pytest.mark.django_db
def test_given_an_email_sent_when_the_write_commits_then_it_goes_out_and_is_blanked(
    tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    settings.VAR_DIR = tmp_path
    settings.NOTIFY_API_KEY = ""
    with django_capture_on_commit_callbacks(execute=True):
        message = notify.send_email(
            to="sam@example.com", subject="Sign in", body="Your code is 123456"
        )
    # then the task carries only the message's id
    [queued] = _results()
    assert queued.args_kwargs == {"args": [str(message.pk)], "kwargs": {}}
    assert "sam@example.com" not in json.dumps(queued.args_kwargs)
    # when
    run_worker()
    # then it reached the outbox, and the row keeps neither recipient nor words
    [path] = list((tmp_path / "outbox").iterdir())
    sent = json.loads(path.read_text(encoding="utf-8"))
    assert (sent["to"], sent["body"]) == ("sam@example.com", "Your code is 123456")
    message.refresh_from_db()
    assert (message.status, message.to, message.subject, message.body) == (
        OutgoingMessage.Status.SENT,
        "",
        "",
        "",
    )
    assert message.sent_at is not None


@pytest.mark.django_db
def test_given_a_text_sent_when_the_write_rolls_back_then_nothing_is_queued_or_sent(
    tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    settings.VAR_DIR = tmp_path

    @transaction.atomic
    def sign_in_that_fails() -> None:
        notify.send_sms(to="+447700900123", body="Your code is 123456")
        raise RuntimeError("the sign-in failed")

    # when
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        sign_in_that_fails()
    run_worker()
    # then
    assert (DBTaskResult.objects.count(), OutgoingMessage.objects.count()) == (0, 0)
    assert not (tmp_path / "outbox").exists()
