"""`kith import-oruk SOURCE`: import an Open Referral UK feed (3.0 or 1.0) from a URL or file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kith.core.errors import ImportFailed
from kith.directory.oruk.importer import oruk_import


class Command(BaseCommand):
    help = (
        "Import services from an Open Referral UK feed: a base URL or /services URL (pages are "
        "followed) or a file (a page, a service, a JSON array or NDJSON). ORUK 3.0 and 1.0. "
        "Running it again updates the same records. Bad records are reported and skipped; an "
        "unusable feed changes nothing and exits with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="URL or file path of the feed")

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        console = Console(file=self.stdout, highlight=False)  # type: ignore[arg-type]
        progress = Progress(
            TextColumn("Importing services"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        task = progress.add_task("import", total=None)

        def on_progress(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        try:
            with progress:
                report = oruk_import(source=source, on_progress=on_progress)
        except ImportFailed as exc:
            for problem in exc.extra.get("problems", [])[:50]:
                self.stderr.write(f"Skipped {problem}")
            raise CommandError(f"Nothing was imported: {exc.message}") from None
        for problem in report.problems:
            self.stderr.write(f"Skipped {problem}")
        self.stdout.write(
            f"Imported {len(report.created) + len(report.updated)} services from {source}: "
            f"{len(report.created)} new, {len(report.updated)} updated, "
            f"{len(report.problems)} skipped."
        )
        if report.oruk1_records:
            self.stdout.write(f"{report.oruk1_records} records were ORUK 1.0 and were converted.")
