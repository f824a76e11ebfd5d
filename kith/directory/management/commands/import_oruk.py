"""`kith import-oruk SOURCE`: import an Open Referral UK feed (3.0 or 1.0) from a URL or file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kith.core.errors import ImportFailed
from kith.directory.oruk.importer import Action, ImportReport, oruk_import


class Command(BaseCommand):
    help = (
        "Import services from an Open Referral UK feed: a base URL or /services URL (pages are "
        "followed) or a file (a page, a service, a JSON array or NDJSON). ORUK 3.0 and 1.0. "
        "Running it again updates the same records and writes nothing that has not changed. A "
        "bad value is repaired where the repair is certain or left out, and listed; only a "
        "record that cannot be a listing (no id or name) is skipped. HTML becomes plain text "
        "(each such field listed with --verbosity 2). An unusable feed changes nothing and "
        "exits with status 1."
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
        self._write_record_lines(report, verbosity=options["verbosity"])
        self.stdout.write(
            f"Imported {report.imported} services from {source}: "
            f"{len(report.created)} new, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.problems)} skipped."
        )
        repaired = len(report.changes_by_action(Action.REPAIRED))
        left_out = len(report.changes_by_action(Action.LEFT_OUT))
        converted = len(report.changes_by_action(Action.CONVERTED))
        if report.changes:
            self.stdout.write(
                f"Values not kept as given: {repaired} repaired, {left_out} left out, "
                f"{converted} converted to plain text."
            )
        if report.oruk1_records:
            self.stdout.write(f"{report.oruk1_records} records were ORUK 1.0 and were converted.")

    def _write_record_lines(self, report: ImportReport, *, verbosity: int) -> None:
        """Each skipped record and each value repaired or left out, in feed order; values
        converted to plain text too at --verbosity 2."""
        lines: list[tuple[int, int, str]] = [
            (problem.record, 0, f"Skipped {problem}") for problem in report.problems
        ]
        lines += [
            (change.record, 1, str(change))
            for change in report.changes
            if change.action != Action.CONVERTED or verbosity >= 2
        ]
        for _record, _order, line in sorted(lines, key=lambda item: (item[0], item[1])):
            self.stderr.write(line)
