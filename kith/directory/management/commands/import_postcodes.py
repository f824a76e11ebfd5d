"""`kith import-postcodes FILE`: load the ONS Postcode Directory CSV into the postcode table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from kith.core.errors import ApplicationError
from kith.directory.services.postcodes import DEFAULT_BATCH_SIZE, postcodes_import


class Command(BaseCommand):
    help = (
        "Import postcodes from the ONS Postcode Directory CSV (ONSPD). Streams the file, skips "
        "terminated postcodes and rows with no grid reference, and adds district centres."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The ONSPD CSV file (unzipped).")
        parser.add_argument(
            "--local-authority",
            metavar="CODE",
            help="Only import postcodes in this local authority, e.g. E09000022 (Lambeth).",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True)
        progress = Progress(
            TextColumn("Importing postcodes"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        task = progress.add_task("import", total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            with progress:
                result = postcodes_import(
                    path=options["file"],
                    local_authority=options["local_authority"],
                    batch_size=options["batch_size"],
                    on_progress=on_progress,
                )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.imported} postcodes and {result.districts} postcode districts."
            )
        )
        if options["local_authority"]:
            self.stdout.write(
                f"Left out {result.outside_local_authority} postcodes outside "
                f"{options['local_authority'].upper()}."
            )
        if result.removed:
            self.stdout.write(f"Removed {result.removed} postcodes that have been terminated.")
        for reason, count in sorted(result.skipped.items()):
            lines = ", ".join(str(n) for n in result.examples.get(reason, []))
            self.stdout.write(
                f"Skipped {count} rows: {reason} (lines {lines}{', ...' if count > 5 else ''})."
            )
