"""Background work benchmark: how soon a queued task starts, and how many tasks a second the
workers get through, on SQLite and PostgreSQL with one and two `kith worker` processes.

    .venv/bin/python benchmarks/tasks.py --db both --workers 1,2 --burst 500 --trickle 100

For each database and number of workers: a fresh database (SQLite `var/bench/tasks.sqlite3`,
PostgreSQL `kith_bench_tasks`, both dropped and migrated afresh; --database-url for another),
then N real `kith worker` processes (the command `make run` starts; poll interval --interval,
1 s by default as in `kith worker`; local settings with DEBUG off), then:

- trickle: --trickle tasks enqueued one at a time, 0.1 s apart, each while the workers are idle
  or nearly: the latency someone waiting for a sign-in code sees;
- burst: --burst tasks queued with one `run_after` 5 s ahead, so all are waiting when they fall
  due: the latency from then to each start (the back of a queue), and tasks per second
  (tasks / (last finished - due)), the rate the workers drain a full queue.

The task is a no-op (`benchmarks/tasks_probe.py`), so the figures are the queue's own cost.
Times are the task rows' own (`enqueued_at`, `run_after`, `started_at`, `finished_at`), all on
one machine's clock. Prints one JSON line per run; docs/benchmarks.md records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/kith_bench_tasks"
SQLITE_PATH = ROOT / "var" / "bench" / "tasks.sqlite3"


def _environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "kith.config.settings.local",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }


def _fresh_database(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        name = database_url.rsplit("/", 1)[1]
        admin = database_url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-qc", sql], check=True)  # noqa: S603, S607 - psql
    subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "kith.cli", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=_environment(database_url),
        check=True,
    )


def _start_workers(
    database_url: str, count: int, log: Path, interval: float
) -> list[subprocess.Popen[bytes]]:
    workers = []
    with log.open("ab") as out:
        for n in range(count):
            command = [sys.executable, "-m", "kith.cli", "worker", "--no-schedule"]
            command += ["--interval", str(interval)]
            command += ["--worker-id", f"bench-{n}"]
            workers.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter and command
                    command, cwd=ROOT, env=_environment(database_url), stdout=out, stderr=out
                )
            )
    return workers


def _stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait_for(predicate: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        time.sleep(0.05)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _summary(rows: list[Any], *, due: str) -> dict[str, Any]:
    """Latency from when each task was due (`due`: enqueued_at, or run_after for the burst) to
    its start; tasks per second from the first due to the last finished."""
    latencies = [(row.started_at - getattr(row, due)).total_seconds() * 1000 for row in rows]
    first = min(getattr(row, due) for row in rows)
    last = max(row.finished_at for row in rows)
    return {
        "tasks": len(rows),
        "latency_ms_p50": round(statistics.median(latencies), 1),
        "latency_ms_p95": round(_percentile(latencies, 0.95), 1),
        "latency_ms_max": round(max(latencies), 1),
        "tasks_per_second": round(len(rows) / (last - first).total_seconds(), 1),
        "by_worker": {
            worker: sum(1 for row in rows if row.worker_ids[-1] == worker)
            for worker in sorted({row.worker_ids[-1] for row in rows})
        },
    }


def run(
    *, db: str, database_url: str, workers: int, burst: int, trickle: int, interval: float
) -> dict[str, Any]:
    _fresh_database(database_url)
    os.environ.update(_environment(database_url))
    import django

    django.setup()
    from django.db import connection
    from django.tasks import TaskResultStatus
    from django.utils import timezone
    from django.utils.module_loading import import_string
    from django_tasks_db.models import DBTaskResult

    from kith.core.models import WorkerHeartbeat

    # By its dotted path, as the worker processes import it.
    task = import_string("benchmarks.tasks_probe.probe")

    log = ROOT / "var" / "bench" / f"tasks-{db}-{workers}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    processes = _start_workers(database_url, workers, log, interval)
    try:
        _wait_for(
            lambda: WorkerHeartbeat.objects.count() == workers, timeout=180, what="the workers"
        )
        time.sleep(2)  # past the worker's random start-up delay (at most 1 s)

        def done(count: int) -> bool:
            return DBTaskResult.objects.finished().count() == count

        started = time.monotonic()
        for n in range(trickle):
            task.enqueue(n)
            time.sleep(0.1)
        _wait_for(lambda: done(trickle), timeout=600, what="the trickle")
        trickled = list(DBTaskResult.objects.all())

        DBTaskResult.objects.all().delete()
        # All due at one moment, queued before it, so the workers drain a full queue.
        release_at = timezone.now() + dt.timedelta(seconds=5)
        released = task.using(run_after=release_at)
        for n in range(burst):
            released.enqueue(n)
        queued_in_time = timezone.now() < release_at
        _wait_for(lambda: done(burst), timeout=1200, what="the burst")
        burst_rows = list(DBTaskResult.objects.all())
        failed = DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).count()
        wall = time.monotonic() - started
    finally:
        _stop_workers(processes)
        connection.close()
    return {
        "db": db,
        "database": connection.vendor,
        "workers": workers,
        "poll_interval_s": interval,
        "trickle": _summary(trickled, due="enqueued_at") if trickle else None,
        "burst": _summary(burst_rows, due="run_after") if burst else None,
        "burst_queued_before_due": queued_in_time,
        "failed": failed,
        "wall_seconds": round(wall, 1),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "machine": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", default="1,2", help="comma list of worker counts")
    parser.add_argument("--burst", type=int, default=500)
    parser.add_argument("--trickle", type=int, default=100)
    parser.add_argument(
        "--interval", type=float, default=1.0, help="the workers' poll interval (kith worker: 1)"
    )
    parser.add_argument("--database-url", default="", help=f"PostgreSQL URL (default: {PG_URL})")
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)  # "db:workers", internal
    args = parser.parse_args()
    if args.one:
        db, count = args.one.split(":")
        url = f"sqlite:///{SQLITE_PATH}" if db == "sqlite" else (args.database_url or PG_URL)
        result = run(
            db=db,
            database_url=url,
            workers=int(count),
            burst=args.burst,
            trickle=args.trickle,
            interval=args.interval,
        )
        print(json.dumps(result))  # noqa: T201
        return 0
    # Each run in a process of its own: Django is set up once per process, for one database.
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for db in dbs:
        for count in [int(n) for n in args.workers.split(",")]:
            command = [sys.executable, __file__, "--one", f"{db}:{count}"]
            command += ["--burst", str(args.burst), "--trickle", str(args.trickle)]
            command += ["--interval", str(args.interval)]
            if args.database_url:
                command += ["--database-url", args.database_url]
            print(f"load average before: {os.getloadavg()}", file=sys.stderr)  # noqa: T201
            subprocess.run(command, check=True)  # noqa: S603 - this script, our arguments
    return 0


if __name__ == "__main__":
    sys.exit(main())
