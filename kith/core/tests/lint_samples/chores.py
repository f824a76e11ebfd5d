"""A task beside a service, in a module named for nothing in particular: the lint checks the
task itself, not the service next to it."""

from django.tasks import task

from kith.asks.models import Ask


def asks_count() -> int:
    return Ask.objects.count()


@task
def asks_tidy() -> int:
    return Ask.objects.filter(text="").count()
