"""`kith serve`: the development server by default, gunicorn with --workers for production-like runs.

Either way a `kith worker` runs beside it as a child process (unless --no-background-worker), so
`make run` sends messages and runs scheduled jobs with nothing more to start. The worker stops
when `kith serve` does, however it stops (it watches its parent).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve Kith on http://127.0.0.1:PORT (PORT from --port or the PORT variable, default 8000)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="Run gunicorn with this many worker processes instead of the development server.",
        )
        parser.add_argument(
            "--no-background-worker",
            action="store_true",
            help="Do not start a `kith worker` beside the server (run one yourself).",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        no_background_worker: bool,
        **options: Any,
    ) -> None:
        # The development server's reloader runs this command again in a child process
        # (RUN_MAIN); only the first one starts the worker.
        worker = None
        if not no_background_worker and os.environ.get("RUN_MAIN") != "true":
            worker = self.start_worker()
        if workers:
            gunicorn = shutil.which("gunicorn") or os.path.join(
                os.path.dirname(sys.executable), "gunicorn"
            )
            os.execv(  # noqa: S606 - a fixed program with our own arguments
                gunicorn,
                [
                    gunicorn,
                    "kith.config.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(workers),
                    "--access-logfile",
                    "-" if settings.DEBUG else "/dev/null",
                ],
            )
        self.stdout.write(f"Kith is serving on http://{host}:{port} (Ctrl+C to stop)")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=settings.DEBUG)
        finally:
            if worker is not None:
                self.stop_worker(worker)

    def start_worker(self) -> subprocess.Popen[bytes]:
        command = [sys.executable, "-m", "kith.cli", "worker", "--parent-pid", str(os.getpid())]
        worker = subprocess.Popen(command)  # noqa: S603 - our own interpreter and command
        self.stdout.write(f"A background worker is running beside it (process {worker.pid})")
        return worker

    def stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
