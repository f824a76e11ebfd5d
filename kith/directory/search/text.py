"""Words in, understanding out: normalising, stemming, the everyday-language layer, typo fixes.

The same functions prepare listing text for the index and a person's words for a query, so a
listing that says "bereavement" and a person who types "Bereaved" meet on the stem "bereav".
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from kith.directory.taxonomy import is_support_type

EVERYDAY_LANGUAGE_CSV = Path(__file__).parent.parent / "data" / "everyday-language.csv"
SUPPORT_TYPE_WORDS_CSV = Path(__file__).parent.parent / "data" / "support-type-words.csv"
# English words are never typos: symspellpy's dictionary (82,765 words from SCOWL and Google
# Books counts). Read as a plain word list; the symspellpy module itself is not used.
ENGLISH_WORDS_PACKAGE = "symspellpy"
ENGLISH_WORDS_FILE = "frequency_dictionary_en_82_765.txt"
# A query longer than this is cut: nobody types more, and it keeps the work bounded.
MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 40
SUPPORT_TYPE_PREFIX = "~"
LANGUAGE_PREFIX = "@"

# Words that say nothing about what support is wanted, in listings or in queries.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "do",
        "does",
        "doing",
        "dont",
        "for",
        "from",
        "get",
        "getting",
        "go",
        "going",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "id",
        "if",
        "im",
        "in",
        "into",
        "is",
        "it",
        "its",
        "ive",
        "just",
        "like",
        "lot",
        "me",
        "more",
        "most",
        "much",
        "my",
        "myself",
        "need",
        "needs",
        "no",
        "not",
        "now",
        "of",
        "off",
        "on",
        "one",
        "only",
        "or",
        "our",
        "out",
        "over",
        "please",
        "really",
        "she",
        "should",
        "so",
        "some",
        "someone",
        "something",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "too",
        "um",
        "up",
        "us",
        "very",
        "want",
        "wanted",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "would",
        "you",
        "your",
        "help",
        "helps",
        "support",
        "supports",
        "service",
        "services",
        "feel",
        "feeling",
        "find",
        "looking",
        "local",
        "near",
        "nearby",
        "somewhere",
        "anyone",
        "anything",
    ]
)


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def normalise(text: str) -> str:
    """Lower case, plain letters and digits; apostrophes vanish ("can't" → "cant")."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"['’‘`´]", "", text)
    return re.sub(r"[^a-z0-9+]+", " ", text).strip()


def words(text: str) -> list[str]:
    return normalise(text).split()


# Words whose Snowball stem would join a family of a different meaning: each keeps its own
# stem, in listings and in queries alike. "hearing" (hearing loss, hard of hearing) is not "hear"
# (a person who hears voices); "sexuality" (LGBTQ+) is not "sexual" (sexual violence);
# "business" is not "busy". A full rebuild of the index records STEMS_VERSION; until an index
# has this version, `engine.understand` falls back to the Snowball stem such an index holds.
# Change STEMS_VERSION whenever STEM_EXCEPTIONS changes.
STEMS_VERSION = 1
STEM_EXCEPTIONS = {
    "hearing": "hearing",
    "sexuality": "sexuality",
    "sexualities": "sexuality",
    "business": "business",
    "businesses": "business",
}


@cache
def stem(word: str) -> str:
    return STEM_EXCEPTIONS.get(word) or snowball_stem(word)


@cache
def snowball_stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def stems(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order, repeats kept."""
    return [stem(word) for word in words(text) if word not in STOP_WORDS and len(word) > 1]


@dataclass(frozen=True)
class Phrase:
    stems: tuple[str, ...]
    support_types: tuple[str, ...]


@cache
def everyday_phrases() -> tuple[Phrase, ...]:
    phrases = []
    with EVERYDAY_LANGUAGE_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            phrase_stems = tuple(stem(word) for word in words(row["phrase"]))
            codes = tuple(code for code in row["support_types"].split() if is_support_type(code))
            if phrase_stems and codes:
                phrases.append(Phrase(phrase_stems, codes))
    return tuple(phrases)


@cache
def everyday_words() -> frozenset[str]:
    """Every word the everyday layer knows, so typos can be corrected towards them too."""
    with EVERYDAY_LANGUAGE_CSV.open(newline="", encoding="utf-8") as handle:
        return frozenset(w for row in csv.DictReader(handle) for w in words(row["phrase"]))


@cache
def everyday_stems() -> frozenset[str]:
    """Stems of the everyday layer's words: "ending" is known because "end it all" is."""
    return frozenset(part for phrase in everyday_phrases() for part in phrase.stems)


def support_types_in(all_stems: list[str]) -> list[str]:
    """Support types the everyday layer finds in a query's stems (stop words included).

    A phrase matches when its stems appear in order, allowing one extra word between each
    ("lost my lovely mum" matches "lost my mum").
    """
    found: list[str] = []
    for phrase in everyday_phrases():
        if _contains_loosely(all_stems, phrase.stems):
            found.extend(code for code in phrase.support_types if code not in found)
    return found


def _contains_loosely(haystack: list[str], needle: tuple[str, ...]) -> bool:
    for start, word in enumerate(haystack):
        if word != needle[0]:
            continue
        position = start
        for part in needle[1:]:
            window = haystack[position + 1 : position + 3]
            if part not in window:
                break
            position += 1 + window.index(part)
        else:
            return True
    return False


@cache
def english_words() -> frozenset[str]:
    """A kept list of English words (see ENGLISH_WORDS_FILE), normalised as queries are."""
    text = (resources.files(ENGLISH_WORDS_PACKAGE) / ENGLISH_WORDS_FILE).read_text("utf-8")
    return frozenset(normalise(line.split(" ", 1)[0]) for line in text.splitlines() if line)


def is_english_word(word: str) -> bool:
    return word in english_words()


def correct(
    word: str, known_words: dict[str, str], document_counts: dict[str, int] | None = None
) -> str | None:
    """The closest known word to a typo, or None. Never a guess for a short word, a number or a
    real English word ("temper" stays "temper"). Deterministic whatever the order of
    `known_words`: the nearest by edit distance, then the word more services carry, then the
    alphabetically first."""
    if len(word) < 4 or word.isdigit() or is_english_word(word):
        return None
    limit = 1 if len(word) <= 5 else 2
    matches = process.extract(
        word, known_words.keys(), scorer=Levenshtein.distance, score_cutoff=limit, limit=None
    )
    if not matches:
        return None
    counts = document_counts or {}
    best = min(
        matches, key=lambda match: (match[1], -counts.get(known_words[match[0]], 0), match[0])
    )
    return str(best[0])


@cache
def support_type_words() -> dict[str, tuple[str, ...]]:
    """Words listings use for each support type (`data/support-type-words.csv`): what the
    everyday layer adds to a query when it infers the type, so listings that carry no Kith
    support types (most imported ones) are found by their words."""
    found: dict[str, tuple[str, ...]] = {}
    with SUPPORT_TYPE_WORDS_CSV.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["support_type"].strip()
            if is_support_type(code):
                found[code] = tuple(words(row["words"]))
    return found
