"""Crisis screening: does what someone wrote suggest immediate danger to them or to others?

Screening only ever ADDS help. When it fires, the person is shown crisis options at once and the
team sees the ask flagged as urgent. Callers must NEVER block, delay, hide, reject or reorder an ask
below others because of a screening result, and must never tell the person their words were
"screened"; a false negative must cost nothing more than a missed extra prompt, and a false
positive nothing more than a crisis panel someone did not need.

`screen(text)` is pure: no database, no network, no logging of the text. It never raises, whatever
it is given (empty, huge, emoji, other scripts, control characters, lone surrogates), and returns
the ids of the phrases that fired (`matches`), never the person's own words, so a result can be
stored and shown to staff for review without copying what was written.

How it works (the data lives in `kith/asks/data/`, described in its README):

1. Normalise: Unicode NFKC, case folded, curly quotes straightened, contractions expanded
   ("can't" -> "can not", "he'd" -> "he would"), apostrophes dropped, runs of three or more of a
   letter shortened ("dieeee" -> "die", "killlll" -> "kill"), and every word looked up in
   `screening-spellings.csv` ("im" -> "i am", "u" -> "you", "kms" -> "kill myself", misspellings
   of paracetamol and suicidal). Sentence punctuation becomes a clause boundary token ".".
2. Mask idioms (`screening-idioms.csv`): "my phone is dying", "this commute is killing me",
   "I could murder a cup of tea", "cut myself shaving". Only the idiom's own words are masked,
   so "my feet are killing me and I want to die" still fires on the rest.
3. Match the phrase set (`screening-phrases.csv`): regular expressions over whole words, with
   shared word lists written as macros ({refl}, {means}, {kid}, ...). Third person is covered by
   not tying phrases to "I" ("my mate says he's going to end it").
4. Discard a match when it is negated: a negation cue ("not", "never", "no", "nor", "without")
   within the three words before it in the same clause ("I'm not suicidal", "no thoughts of ending
   my life", "I would never hurt my kids"). Clauses end at sentence punctuation, at "but",
   "because", "though", "however", "anyway", and at "and"/"so"/"or" when a new subject follows
   ("I'm not okay and I want to die" still fires). A cue directly followed by "stop", "sure",
   "only", "help", "know" or "longer" is not a negation ("I can't stop thinking about killing
   myself").
5. Past tense. A match is discarded only when its clause places it in the distant past ("used
   to", "years ago", "when I was at school", "as a teenager", "in the past") and nothing in the
   clause brings it back to now ("again", "still", "started", "now", "recently"). Recent past
   counts as urgent ("I took an overdose last night", "he strangled me last week"): a recent
   attempt or assault is one of the strongest signs of danger. This leans towards safety.

Long input: the whole message is scanned (a 100,000-character message takes milliseconds);
beyond MAX_SCAN_CHARS only the first and last halves of that budget are scanned, so danger at the
very end of an enormous paste is still seen. Words longer than 40 characters are replaced before
matching so no pattern can backtrack over them.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Final

DATA_DIR: Final = Path(__file__).resolve().parent / "data"

CATEGORIES: Final = (
    "suicidal-intent",
    "suicide-plan-or-means",
    "self-harm",
    "harm-to-others",
    "threat-from-someone",
    "child-at-risk",
)

MAX_SCAN_CHARS: Final = 400_000
NEGATION_WINDOW: Final = 3
MAX_WORD_CHARS: Final = 40

# Word lists shared by the phrase and idiom patterns, written as {name} in the CSV files.
MACROS: Final[dict[str, str]] = {
    "w": r"[^ .]+",
    "refl": r"(?:myself|himself|herself|themselves|yourself|ourselves)",
    "poss": r"(?:my|his|her|their|your|our)",
    "means": (
        r"(?:tablets|tabs|pills|paracetamol|painkillers|pain killers|meds|medication|medicine"
        r"|medicines|co codamol|codeine|tramadol|sleeping pills|sleeping tablets|antidepressants"
        r"|insulin|sertraline|citalopram|fluoxetine|mirtazapine|diazepam|morphine|oxycodone"
        r"|aspirin|ibuprofen|lithium|pregabalin|gabapentin|methadone)"
    ),
    "kid": (
        r"(?:kids?|children|child|sons?|daughters?|baby|babies|boys|girls|little boy|little girl"
        r"|toddlers?|little ones?|step ?sons?|step ?daughters?|grandsons?|granddaughters?"
        r"|grandchildren|grandkids|little brother|little sister|nieces?|nephews?|newborn|infant)"
    ),
    "person": (
        r"(?:he|she|they|someone|somebody|a man|a woman|this man|this guy|a guy"
        r"|(?:my|her|his|the|our|their) (?:partner|husband|wife|boyfriend|girlfriend|ex|dad"
        r"|father|step dad|mum|mother|step mum|brother|sister|uncle|aunt|carer|landlord|neighbour"
        r"|flatmate|fiance|fiancee|son|daughter|cousin|boss|pimp|dealer|ex partner|ex husband"
        r"|ex wife|ex boyfriend|ex girlfriend))"
    ),
    "hurtverb": (
        r"(?:hits|hit|hitting|beats|beat|beating|punches|punched|punching|kicks|kicked|kicking"
        r"|slaps|slapped|slapping|chokes|choked|choking|strangles|strangled|strangling|batters"
        r"|battered|battering|burns|burned|burnt|shakes|shook|shaking|hurts|hurt|hurting|attacks"
        r"|attacked|stabbed|raped|rapes|abuses|abused|abusing|smacks|smacked|throttled|pushed"
        r"|shoves|shoved|headbutted|bit|bites|belts|belted|thumps|thumped)"
    ),
    "harmverb": (
        r"(?:kill|hurt|stab|murder|batter|attack|beat up|beat|strangle|shoot|smash|glass|knife"
        r"|harm|slit|burn|choke|throttle|punch|do in)"
    ),
    "harmgerund": (
        r"(?:killing|hurting|stabbing|murdering|battering|attacking|beating|strangling|shooting"
        r"|harming|choking|punching)"
    ),
    "will": (
        r"(?:will|would|is going to|are going to|was going to|am going to|going to|wants to"
        r"|want to|wanted to|is about to|about to|plans to|planning to|plan to|could|might|shall"
        r"|is trying to|tried to|is threatening to|threatened to|threatens to|keeps threatening to"
        r"|urge to|tempted to|ready to)"
    ),
    "scared": r"(?:scared|afraid|frightened|terrified|worried|fear|petrified|fearing|fearful)",
}

NEGATION_CUES: Final = frozenset({"not", "never", "no", "nor", "neither", "without"})
# A cue followed by one of these does not negate what comes after it.
PSEUDO_NEGATION_NEXT: Final = frozenset(
    {"stop", "sure", "only", "help", "know", "longer", "one", "matter", "way", "wait", "cope"}
)
CLAUSE_WORDS: Final = frozenset(
    {".", "but", "because", "though", "although", "however", "anyway", "anyways", "yet"}
)
# "and", "so", "or" end a clause only when a new subject follows.
JOINING_WORDS: Final = frozenset({"and", "so", "or", "then", "plus"})
NEW_SUBJECTS: Final = frozenset(
    {"i", "he", "she", "they", "we", "you", "it", "my", "his", "her", "their", "now", "there"}
)
DISTANT_PAST: Final = re.compile(
    r"\b(?:used to|years ago|ages ago|long time ago|decades ago|in the past|back then"
    r"|(?:years|ages|decades) back|as a (?:teenager|teen|kid|child|student|young(?:er)? \w+)"
    r"|when i was (?:younger|a teenager|a teen|a kid|a child|little|small|at school|at uni"
    r"|at university|at college|in my (?:teens|twenties|20s|thirties|30s)|\d+)"
    r"|not for years|for years now|history of)\b"
)
BACK_TO_NOW: Final = re.compile(
    r"\b(?:again|still|started|starting|now|recently|lately|these days|last night|today"
    r"|tonight|yesterday|this week|this morning)\b"
)
_MACRO = re.compile(r"\{([a-z]+)\}")
_REPEATS = re.compile(r"([^\W\d])\1{2,}")
_BOUNDARY_PUNCT = re.compile(r"[.!?;:,\n\r\t\u2026()\[\]{}\"<>|/\\]+|(?<!\w)-+|-+(?!\w)")
_NOT_WORD = re.compile(r"[^\w.]+|_")
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u0060\u00b4\u2032\u02b9", "'"))
_CONTRACTIONS: Final = (
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bshan't\b"), "shall not"),
    (re.compile(r"\bain't\b"), "am not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"\b(he|she|it|that|there|what|who|where|here)'s\b"), r"\1 is"),
    (re.compile(r"'"), ""),
)
# "ill", "hell", "shell", "wed", "hed" are words; read them as contractions only before a verb.
_AMBIGUOUS_CONTRACTION = re.compile(
    r"(?<![^ ])(i|he|she|we|they)(ll|d) (?=(?:kill|hurt|stab|batter|murder|do|end|jump|take|be"
    r"|never|just|get|find|cut|make|go|beat|smash|have|hang|slit|burn|rather|shoot|strangle"
    r"|rip|break|snap|finish|leave|die)(?![^ ]))"
)


@dataclass(frozen=True, slots=True)
class Screening:
    """The result of screening one piece of text. Holds phrase ids, never the text itself.

    `negated` lists phrases that matched but were discarded as negated or in the distant past,
    for staff review of the phrase set; it takes no part in comparisons.
    """

    is_urgent: bool
    categories: tuple[str, ...] = ()
    matches: tuple[str, ...] = ()
    negated: tuple[str, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Phrase:
    id: str
    category: str
    pattern: str
    notes: str
    regex: re.Pattern[str]


def _expand(pattern: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in MACROS:
            raise ValueError(f"unknown macro {{{name}}} in pattern {pattern!r}")
        return MACROS[name]

    # Whole words only: every token in the normalised text is surrounded by single spaces. The
    # leading space is matched, not looked behind, so the engine can skip to word starts.
    return rf" (?:{_MACRO.sub(replace, pattern)})(?= )"


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def phrases() -> tuple[Phrase, ...]:
    rows = _read_csv("screening-phrases.csv")
    result = []
    for row in rows:
        if row["category"] not in CATEGORIES:
            raise ValueError(f"phrase {row['id']} has unknown category {row['category']!r}")
        regex = re.compile(_expand(row["pattern"]))
        result.append(Phrase(row["id"], row["category"], row["pattern"], row["notes"], regex))
    return tuple(result)


@cache
def idioms() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (row["id"], re.compile(_expand(row["pattern"])))
        for row in _read_csv("screening-idioms.csv")
    )


@cache
def spellings() -> dict[str, str]:
    return {row["written"]: row["normalised"] for row in _read_csv("screening-spellings.csv")}


@cache
def _vocabulary() -> frozenset[str]:
    """Words the patterns use, to pick "die" over "diie" when shortening repeated letters."""
    words: set[str] = set()
    sources = [p.pattern for p in phrases()] + list(MACROS.values())
    sources += list(spellings().values())
    for source in sources:
        words.update(re.findall(r"[a-z]{2,}", source))
    return frozenset(words)


def _unrepeat(word: str) -> str:
    if not _REPEATS.search(word):
        return word
    once = _REPEATS.sub(r"\1", word)
    if once in _vocabulary():
        return once
    return _REPEATS.sub(r"\1\1", word)


def normalise(text: str) -> str:
    """Return the text as screening reads it: " word word . word " (padded with spaces)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    text = _BOUNDARY_PUNCT.sub(" . ", text)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = _NOT_WORD.sub(" ", text)
    spelled = spellings()
    words = []
    for word in text.split():
        if len(word) > MAX_WORD_CHARS:
            words.append("~")
            continue
        word = _unrepeat(word)
        words.append(spelled.get(word, word))
    joined = f" {' '.join(words)} "
    joined = _AMBIGUOUS_CONTRACTION.sub(
        lambda m: f"{m.group(1)} {'will' if m.group(2) == 'll' else 'would'} ", joined
    )
    return re.sub(r"(?: \.)+", " .", joined)


def _mask_idioms(text: str) -> str:
    for _id, regex in idioms():
        text = regex.sub(lambda m: " ~" * len(m.group(0).split()), text)
    return text


def _is_clause_end(words: list[str], index: int) -> bool:
    word = words[index]
    if word in CLAUSE_WORDS:
        return True
    following = words[index + 1] if index + 1 < len(words) else ""
    return word in JOINING_WORDS and following in NEW_SUBJECTS


def _is_negated(before: list[str]) -> bool:
    """Is there a negation cue in the last few words of the clause before a match?"""
    for seen, index in enumerate(range(len(before) - 1, -1, -1)):
        if seen >= NEGATION_WINDOW or _is_clause_end(before, index):
            return False
        following = before[index + 1] if index + 1 < len(before) else ""
        if before[index] in NEGATION_CUES and following not in PSEUDO_NEGATION_NEXT:
            return True
    return False


def _clause_around(before: list[str], after: list[str], matched: str) -> str:
    start = len(before)
    for index in range(len(before) - 1, -1, -1):
        if _is_clause_end(before, index):
            break
        start = index
    end = 0
    for index in range(len(after)):
        if _is_clause_end(after, index):
            break
        end = index + 1
    return " ".join([*before[start:], matched, *after[:end]])


def _is_distant_past(clause: str) -> bool:
    return bool(DISTANT_PAST.search(clause)) and not BACK_TO_NOW.search(clause)


def _scanned(text: str) -> str:
    if len(text) <= MAX_SCAN_CHARS:
        return text
    half = MAX_SCAN_CHARS // 2
    return f"{text[:half]}\n{text[-half:]}"


def screen(text: str) -> Screening:
    """Screen text for immediate danger. Never raises; see the module docstring."""
    try:
        return _screen(text)
    except Exception:  # a bug here must never stop an ask going through
        # Fail towards help: a screening bug shows crisis options rather than none.
        return Screening(is_urgent=True, categories=(), matches=("screening-error",))


def _screen(text: str) -> Screening:
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text.strip():
        return Screening(is_urgent=False)
    normalised = _mask_idioms(normalise(_scanned(text)))
    fired: dict[str, str] = {}
    negated: list[str] = []
    for phrase in phrases():
        if phrase.id in fired:
            continue
        for match in phrase.regex.finditer(normalised):
            start, end = match.start() + 1, match.end()  # + 1: the leading space
            before = normalised[max(0, start - 400) : start].split()[-30:]
            if _is_negated(before):
                negated.append(phrase.id)
                continue
            after = normalised[end : end + 400].split()[:30]
            if _is_distant_past(_clause_around(before, after, match.group(0))):
                negated.append(phrase.id)
                continue
            fired[phrase.id] = phrase.category
            break
    categories = tuple(c for c in CATEGORIES if c in fired.values())
    return Screening(
        is_urgent=bool(fired),
        categories=categories,
        matches=tuple(fired),
        negated=tuple(dict.fromkeys(negated)),
    )
