"""Crisis screening benchmark: accuracy on the labelled sets and time per message.

    .venv/bin/python benchmarks/screening.py

Prints recall, precision, false-positive rate and per-category recall on the tuning set and the
held-out set (kith/asks/tests/data/), then the screening time per message (p50/p95 over every
labelled statement, repeated) and for a 100,000-character message with danger at its end.
"""

from __future__ import annotations

import csv
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kith.asks.screening import CATEGORIES, screen  # noqa: E402

DATA = ROOT / "kith" / "asks" / "tests" / "data"


def load(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def report(name: str, rows: list[dict[str, str]]) -> None:
    true_pos = false_pos = false_neg = true_neg = 0
    per_category: dict[str, list[int]] = {category: [0, 0] for category in CATEGORIES}
    for row in rows:
        urgent = row["is_urgent"] == "1"
        result = screen(row["text"])
        if urgent:
            per_category[row["category"]][1] += 1
            if result.is_urgent:
                true_pos += 1
                per_category[row["category"]][0] += 1
            else:
                false_neg += 1
        elif result.is_urgent:
            false_pos += 1
        else:
            true_neg += 1
    recall = true_pos / (true_pos + false_neg)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    fpr = false_pos / (false_pos + true_neg)
    print(f"{name}: {len(rows)} statements ({true_pos + false_neg} urgent)")
    print(f"  recall {recall:.3f}  precision {precision:.3f}  false-positive rate {fpr:.3f}")
    for category, (found, total) in per_category.items():
        if total:
            print(f"  {category:<22} recall {found}/{total} = {found / total:.3f}")


def timings(rows: list[dict[str, str]]) -> None:
    screen("warm up")
    samples = []
    for _ in range(20):
        for row in rows:
            started = time.perf_counter()
            screen(row["text"])
            samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    print(f"per message ({len(samples)} timings): p50 {cuts[49]:.3f} ms  p95 {cuts[94]:.3f} ms")
    filler = "the rent went up again and my landlord will not fix the boiler, "
    danger = " and i want to end my life"
    text = (filler * (100_000 // len(filler) + 1))[: 100_000 - len(danger)] + danger
    long_samples = []
    for _ in range(10):
        started = time.perf_counter()
        result = screen(text)
        long_samples.append((time.perf_counter() - started) * 1000)
    print(
        f"100,000-character message: median {statistics.median(long_samples):.1f} ms, "
        f"max {max(long_samples):.1f} ms, found {result.matches}"
    )


def main() -> None:
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    tuning = load("screening-tuning.csv")
    held_out = load("screening-heldout.csv")
    report("tuning", tuning)
    report("held out", held_out)
    # 51 statements the lead wrote without reading the phrase set; two misses there led to two
    # phrase fixes, so this set is no longer unseen (see docs/benchmarks.md).
    report("lead's spot check", load("screening-lead-check.csv"))
    timings(tuning + held_out)


if __name__ == "__main__":
    main()
