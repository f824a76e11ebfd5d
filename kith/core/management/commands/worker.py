"""`kith worker`: run background tasks and scheduled jobs until stopped (SIGTERM or Ctrl+C).

The task loop is django-tasks-db's worker, on every queue of the default backend. Beside it, a
housekeeping thread keeps this worker's heartbeat, claims due scheduled jobs
(`schedule_tick`) and puts back in the queue the tasks of workers that stopped mid-task. Run as
many as the load needs, on the same database; each scheduled period still runs once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from kith.core.background import (
    schedule_tick,
    tasks_requeue_lost,
    worker_heartbeat,
    worker_heartbeat_end,
)

logger = logging.getLogger("kith.worker")


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"[:64]


class Housekeeping(threading.Thread):
    """Heartbeat, scheduled jobs and lost workers' tasks, every `interval` seconds."""

    def __init__(
        self, *, worker_id: str, interval: float, schedule: bool, parent_pid: int | None
    ) -> None:
        super().__init__(name=f"kith-housekeeping-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.parent_pid = parent_pid
        self.interval = interval
        self.schedule = schedule
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self) -> None:
        if self.parent_pid is not None and os.getppid() != self.parent_pid:
            # Started by `kith serve`, which has gone: stop as if Ctrl+C was pressed.
            logger.warning("The server that started this worker has stopped; stopping")
            os.kill(os.getpid(), signal.SIGTERM)
            return
        try:
            worker_heartbeat(worker_id=self.worker_id, started_at=self.started_at)
            tasks_requeue_lost()
            if self.schedule:
                claimed = schedule_tick()
                if claimed:
                    logger.info("Scheduled jobs queued: %s", ", ".join(claimed))
        except Exception:
            logger.exception("Housekeeping failed; trying again in %s seconds", self.interval)
        finally:
            close_old_connections()

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.beat()
        try:
            worker_heartbeat_end(worker_id=self.worker_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.interval + 10)


class Command(BaseCommand):
    help = "Run background tasks and scheduled jobs until stopped (SIGTERM or Ctrl+C)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait for new tasks when the queue is empty (default 1).",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Run tasks only: leave scheduled jobs to the other workers.",
        )
        parser.add_argument("--worker-id", default="", help="Unique per worker; default made up.")
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="Stop when this process (the `kith serve` that started the worker) ends.",
        )

    def handle(
        self,
        *args: Any,
        interval: float,
        no_schedule: bool,
        worker_id: str,
        parent_pid: int | None,
        **options: Any,
    ) -> None:
        worker_id = worker_id or new_worker_id()
        # The local profile closes each connection after use, for the development server's
        # threads; a worker is one long loop, and connecting again for every task would cost
        # more than most tasks do. Connections past their age are still closed between tasks.
        for alias in connections:
            if not connections.settings[alias].get("CONN_MAX_AGE"):
                connections.settings[alias]["CONN_MAX_AGE"] = 60
        tasks_logger = logging.getLogger("django_tasks_db")
        if options["verbosity"] > 1:
            tasks_logger.setLevel(logging.DEBUG)
        housekeeping = Housekeeping(
            worker_id=worker_id,
            interval=float(settings.KITH_WORKER_HEARTBEAT_SECONDS),
            schedule=not no_schedule,
            parent_pid=parent_pid,
        )
        # The first heartbeat before the first task, so nobody takes this worker's task as lost.
        housekeeping.beat()
        housekeeping.start()
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        # SIGTERM or SIGINT: finish the task in hand (a second signal abandons it), then stop.
        worker.configure_signals()
        self.stdout.write(f"Kith worker {worker_id} is running (Ctrl+C to stop)")
        started = dt.datetime.now(tz=dt.UTC)
        try:
            worker.run()
        finally:
            housekeeping.stop()
            worker.reset_signals()
            ran_for = dt.datetime.now(tz=dt.UTC) - started
            self.stdout.write(f"Kith worker {worker_id} stopped after {ran_for}")
