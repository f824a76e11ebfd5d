"""`kith demo`: load the fictional demo locality (idempotent); `--reset` reloads it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kith.demo.editors import load_demo_editors
from kith.demo.people import load_demo_people
from kith.demo.services import demo_load
from kith.demo.teams import load_demo_team


class Command(BaseCommand):
    help = "Load the fictional demo locality (Lambeth). Does nothing if it is already loaded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the demo locality (and only the demo) and load it again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load(reset=options["reset"])
        if result.is_loaded:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo locality: {result.services} services from "
                    f"{result.organizations} organisations at {result.locations} locations, "
                    f"{result.postcodes} new postcodes ({result.seconds:.1f}s). "
                    "All organisations are fictional."
                )
            )
        else:
            self.stdout.write(
                f"The demo locality is already loaded ({result.services} services). "
                "Nothing to do; use --reset to load it again."
            )
        for line in [*load_demo_editors(), *load_demo_team(), *load_demo_people()]:
            self.stdout.write(line)
