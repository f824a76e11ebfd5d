"""`kith serve`: the development server by default, gunicorn with --workers for production-like runs."""

from __future__ import annotations

import os
import shutil
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

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
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
        call_command("runserver", f"{host}:{port}", use_reloader=settings.DEBUG)
