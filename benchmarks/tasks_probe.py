"""The task `benchmarks/tasks.py` queues: nothing, so what is measured is the queue itself.
Imported by name in the worker processes (Django is set up before it is imported)."""

from __future__ import annotations

from kith.core.background import background_task


@background_task(max_attempts=1)
def probe(n: int) -> int:
    return n
