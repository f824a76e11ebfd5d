"""A management command reading a person's data directly."""

from typing import Any

from django.core.management.base import BaseCommand

from kith.asks.models import Ask


class Command(BaseCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(Ask._default_manager.count()))
