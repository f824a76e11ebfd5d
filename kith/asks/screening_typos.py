"""One-slip typos of the words crisis screening looks for ("myslef", "suacidal", "anymroe").

`neighbours(word)` lists the strings one slip away from a word: a letter left out, doubled or
added (never the first one), two neighbouring letters swapped, or, in words of seven letters or
more, one letter (never the first) typed wrong. Screening reads such a string as the word, unless
it is itself an English word: "bride" is not read as "bridge", "lief" not as "life". Those real
words are listed in `data/screening-typos.csv` (kind "real"), made from a British English word
list by running this module:

    python -m kith.asks.screening_typos /usr/share/dict/british-english > rows.csv

(the Debian package `wbritish`; only the real words that are one slip from a target are kept, so
the list stays small and nothing is needed at run time).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Shortest word for each kind of slip: short words have too many real neighbours.
MIN_SWAP = 4
MIN_DROP_OR_ADD = 5
MIN_WRONG_LETTER = 7


def neighbours(word: str) -> Iterator[str]:
    """Every string one slip away from `word` (see the module docstring)."""
    length = len(word)
    if length >= MIN_SWAP:
        for index in range(length - 1):
            if word[index] != word[index + 1]:
                yield word[:index] + word[index + 1] + word[index] + word[index + 2 :]
    if length >= MIN_DROP_OR_ADD:
        for index in range(1, length):
            yield word[:index] + word[index + 1 :]
        for index in range(1, length + 1):
            for letter in LETTERS:
                yield word[:index] + letter + word[index:]
    if length >= MIN_WRONG_LETTER:
        for index in range(1, length):
            for letter in LETTERS:
                if letter != word[index]:
                    yield word[:index] + letter + word[index + 1 :]


def real_neighbours(targets: Iterable[str], dictionary: Iterable[str]) -> list[str]:
    """The dictionary words that are one slip from a target (and are not targets themselves)."""
    target_set = set(targets)
    words = {
        line.strip().casefold()
        for line in dictionary
        if line.strip().isalpha() and line.strip().isascii()
    }
    slips = {slip for target in target_set for slip in neighbours(target)}
    return sorted((slips & words) - target_set)


def main(dictionary_path: str) -> None:
    data = Path(__file__).resolve().parent / "data" / "screening-typos.csv"
    with data.open(newline="", encoding="utf-8") as handle:
        targets = [row["word"] for row in csv.DictReader(handle) if row["kind"] == "target"]
    with open(dictionary_path, encoding="utf-8") as handle:
        real = real_neighbours(targets, handle)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    for word in real:
        writer.writerow([word, "real", "an English word one slip from a target"])


if __name__ == "__main__":
    main(sys.argv[1])
