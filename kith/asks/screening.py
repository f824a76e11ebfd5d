"""Crisis screening: does what someone wrote suggest immediate danger to them or to others?

Screening only ever ADDS help. When it fires, the person is shown crisis options at once and the
team sees the ask flagged as urgent. Callers must NEVER block, delay, hide, refuse or reorder an ask
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
   `screening-spellings.csv` ("im" -> "i am", "u" -> "you", "kms" -> "kill myself", "w/o" ->
   "without"). A word that is not a known word is then read as meant when it is a dropped g
   ("killin") or one slip from a word in `screening-typos.csv` ("myslef", "suacidal",
   "anymroe": see `screening_typos.py`; real English words are never changed). "my self" is
   read as "myself". Sentence punctuation becomes a clause boundary token ".".
2. Mask idioms (`screening-idioms.csv`): "my phone is dying", "this commute is killing me",
   "I could murder a cup of tea", "cut myself shaving". Only the idiom's own words are masked,
   so "my feet are killing me and I want to die" still fires on the rest; an idiom made literal
   ("so tired I could die, and I mean it") is not masked.
3. Match the phrase set (`screening-phrases.csv`): regular expressions over whole words, with
   shared word lists written as macros ({refl}, {means}, {kid}, ...). Third person is covered by
   not tying phrases to "I" ("my mate says he's going to end it"), but a death someone grieves
   ("my neighbour took her own life last year") is not a danger in itself. A weak phrase ("I've
   written my will", "I feel a burden") counts only beside another weak phrase or any other sign.
4. Means within reach (`screening-means.csv`): a means of harm (tablets, rope, a bridge, a gun,
   a blade, a hosepipe) with signs around it, within about fifteen words, that it is within
   reach: kept, hidden, counted, saved up, looked at again and again, "just in case", "right
   here", being on the bridge now. Each sign has a weight and each ordinary reason (a dose, a
   repeat prescription, getting rid of old tablets, towing, a gun club) a negative weight; the
   means fires when the weights reach MEANS_THRESHOLD. No word of intent is needed: "I've got
   three boxes of paracetamol in my drawer and I keep looking at them" is urgent.
5. Short texts (a search, or an ask of a few words) that name a crisis ("suicide", "domestic
   violence help now") fire unless they name a topic ("suicide prevention training").
6. Discard a match when it is negated: a negation cue ("not", "never", "no", "nor", "without")
   within the three words before it in the same clause ("I'm not suicidal", "no thoughts of ending
   my life", "I would never hurt my kids"); the words of a denial's frame right before the match
   do not count ("I don't have any thoughts of ending my life"). Clauses end at sentence
   punctuation, at "but", "because", "though", "however", "anyway", and at "and"/"so"/"or" when a
   new subject follows ("I'm not okay and I want to die" still fires). A cue directly followed by
   "stop", "sure", "ok", "sleeping" and the like is not a negation ("I can't stop thinking about
   killing myself", "I'm not ok and I have thoughts of ending my life"); nor is a cue in doubt
   ("I'm not sure I don't want to die"), nor "never" as an intensifier ("never wanted to die so
   much"), nor a hedge ("not even joking, I want to die", "not gonna lie"), nor "never ...
   before this week" or "never been this desperate". A denial is taken back by what follows ("I
   don't self-harm any more. Except last night"), and a question reported with its answer no
   ("the GP asked if I wanted to die and I said no") is discarded. Phrases that name a subject
   people teach ("self-harm", "overdose") are discarded beside words such as "training" or
   "awareness".
7. Past tense. A match is discarded only when its clause places it in the distant past ("used
   to", "years ago", "when I was at school", "as a teenager", "in my twenties", "in recovery
   from") and nothing brings it back to now: in the clause ("again", "still", "now", "recently")
   or after it ("and I'm thinking about it again", "it never really went away", "same plan").
   "In the 90s", a milestone ("ten years free from self-harm today") and "doing well now" are
   the past even beside "today", unless something brings it back ("and I relapsed").
   Recent past counts as urgent ("I took an overdose last night", "attempted on Friday", "he
   strangled me last week"): a recent attempt or assault is one of the strongest signs of
   danger. This leans towards safety.

Long input: the whole message is scanned (a 100,000-character message takes a fraction of a
second; see docs/benchmarks.md); beyond MAX_SCAN_CHARS only the first and last halves of that
budget are scanned, so danger at the very end of an enormous paste is still seen. Words longer
than 40 characters are replaced before matching so no pattern can backtrack over them.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Final

from kith.asks.screening_typos import neighbours

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
    # Any one word, but never a negation: "he's never hit me" must not match "{person} {w} hit me".
    "w": r"(?!(?:not|never|no|nor|neither|without)(?= ))[^ .]+",
    "refl": r"(?:myself|himself|herself|themselves|yourself|ourselves)",
    "poss": r"(?:my|his|her|their|your|our)",
    "means": (
        r"(?:tablets|tabs|pills|paracetamol|painkillers|pain killers|meds|medication|medicine"
        r"|medicines|co codamol|codeine|tramadol|sleeping pills|sleeping tablets|antidepressants"
        r"|insulin|sertraline|citalopram|fluoxetine|mirtazapine|diazepam|morphine|oxycodone"
        r"|aspirin|ibuprofen|lithium|pregabalin|gabapentin|methadone|amitriptyline|nortriptyline"
        r"|quetiapine|olanzapine|risperidone|aripiprazole|venlafaxine|duloxetine|escitalopram"
        r"|paroxetine|trazodone|zopiclone|zolpidem|promethazine|propranolol|lorazepam|temazepam"
        r"|clonazepam|dihydrocodeine|fentanyl|buprenorphine|naproxen|nurofen|lamotrigine"
        r"|valproate|carbamazepine|warfarin|digoxin|metformin|benzos|opioids|opiates"
        r"|antipsychotics|heart tablets|heart pills|blood pressure tablets)"
    ),
    "kid": (
        r"(?:kids?|children|child|sons?|daughters?|baby|babies|boys|girls|little boy|little girl"
        r"|toddlers?|little ones?|step ?sons?|step ?daughters?|grandsons?|granddaughters?"
        r"|grandchildren|grandkids|little brother|little sister|nieces?|nephews?|newborn|infant"
        # "2 year old" is read as "to year old" ("2" is text speak for "to").
        r"|(?:\d+|to|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
        r"|fourteen|fifteen|sixteen|seventeen) (?:year|yr|month|week)s? olds?"
        r"|teenagers?|teens|teenage (?:son|daughter|boy|girl)s?"
        r"|step ?kids?)"
    ),
    # People someone may be in danger from, or may harm; "(?:[a-z]+s )?" lets a possessive
    # through: "my mum's boyfriend" is read as "my mums boyfriend".
    "relation": (
        r"(?:partner|husband|wife|boyfriend|girlfriend|ex|dad|father|step dad|mum|mother"
        r"|step mum|brother|sister|uncle|aunt|carer|landlord|neighbour|flatmate|housemate|lodger"
        r"|fiance|fiancee|son|daughter|cousin|boss|pimp|dealer|ex partner|ex husband|ex wife"
        r"|ex boyfriend|ex girlfriend|stepson|stepdaughter|grandson|nan|gran|grandad|colleague"
        r"|manager|teacher)"
    ),
    "person": (
        r"(?:he|she|they|someone|somebody|a man|a woman|this man|this guy|a guy"
        r"|(?:my|her|his|the|our|their) (?:[a-z]+s )?{relation})"
    ),
    # Whom someone may mean to harm: people only, so "kill my alarm clock" is not a threat.
    "target": (
        r"(?:him|her|them|someone|somebody|people|everyone|anyone|everybody|that (?:man|woman"
        r"|guy|lad|girl|boy|bloke)|(?:my|his|her|their|the|that|our|your|this) (?:[a-z]+s )?(?:new |old |next |first |last )?"
        r"(?:{relation}|lads?|boys?|girls?|kids?|children|teachers?|neighbours?|flatmates?"
        r"|housemates?|colleagues?|bully|bullies|guy|man|woman|bloke|people|person|baby|friend"
        r"|mate|class|school|college)|children|kids|babies|others|women|men)"
    ),
    # Going on living, as the object of "no point", "tired of", "done with": "no reason to keep
    # going", "sick of being here", "done with waking up". Not "going on about it", "carrying on
    # with the course", "being here at work".
    "living": (
        r"(?:living|live|life|being alive|be alive|alive|existing|exist|being here|be here"
        r"|staying alive|stay alive|waking up|wake up|being around|be around|going on|go on"
        r"|carrying on|carry on|keep going|keeping going|keep living|to go on|to carry on"
        r"|to live|to stay alive|to keep going)"
        r"(?! (?:about|with|at|in|to|a|an|the|holiday|holidays|like this (?:with|in|at)"
        r"|for (?:the|a|an|my|work|it|this|that|holiday|now))(?= ))"
    ),
    # Someone who may have died, for "I want to be with my nan again".
    "dead": (
        r"(?:mum|mother|dad|father|nan|nana|nanna|gran|granny|grandma|grandad|grandpa"
        r"|grandfather|grandmother|husband|wife|son|daughter|brother|sister|partner|baby"
        r"|best friend|twin|uncle|aunt|auntie)"
    ),
    # "dye" for "die" unless it is dyeing something ("dye my hair").
    "die": r"(?:die|dye(?! (?:my|your|his|her|it|them|the|hair|a|some)(?= )))",
    "hurtverb": (
        r"(?:hits|hit|hitting|beats|beat|beating|punches|punched|punching|kicks|kicked|kicking"
        r"|slaps|slapped|slapping|chokes|choked|choking|strangles|strangled|strangling|batters"
        r"|battered|battering|burns|burned|burnt|shakes|shook|shaking|hurts|hurt|hurting|attacks"
        r"|attacked|stabbed|raped|rapes|abuses|abused|abusing|smacks|smacked|throttled|pushed"
        r"|shoves|shoved|headbutted|bit|bites|belts|belted|thumps|thumped)"
    ),
    "harmverb": (
        r"(?:kill|hurt|stab|murder|batter|attack|beat up|beat|strangle|shoot|smash|glass|knife"
        r"|harm|slit|burn|choke|throttle|punch|do in|poison|smother|suffocate|drown)"
    ),
    "harmgerund": (
        r"(?:killing|hurting|stabbing|murdering|battering|attacking|beating|strangling|shooting"
        r"|harming|choking|punching|poisoning|smothering|suffocating|drowning)"
    ),
    "will": (
        r"(?:will|would|is going to|are going to|was going to|am going to|going to|wants to"
        r"|want to|wanted to|is about to|about to|plans to|planning to|plan to|could|might|shall"
        r"|is trying to|tried to|is threatening to|threatened to|threatens to|keeps threatening to"
        r"|urge to|tempted to|ready to|going (?:round|over|out|back) to)"
    ),
    "scared": r"(?:scared|afraid|frightened|terrified|worried|fear|petrified|fearing|fearful)",
}

NEGATION_CUES: Final = frozenset({"not", "never", "no", "nor", "neither", "without"})
# A cue followed by one of these does not negate what comes after it.
PSEUDO_NEGATION_NEXT: Final = frozenset(
    {"stop", "sure", "only", "help", "know", "longer", "one", "matter", "way", "wait", "cope"}
    # "not joking, I want to die", "not gonna lie": a hedge that insists, not a denial.
    | {"joking", "kidding", "lying", "exaggerating"}
    # "I'm not ok and I have thoughts of ending my life": the cue is about "ok", not the rest.
    | {"ok", "okay", "alright", "well", "good", "fine", "great", "coping", "sleeping", "eating"}
    | {"happy", "doing", "strong", "coping", "safe", "afraid", "scared", "worth"}
    # "I can't sleep, I want to die": what someone cannot do is not what they deny.
    | {"sleep", "eat", "handle", "breathe", "stand", "bear", "face", "deal", "focus"}
)
# Words a denial may run through before what it denies: "I don't have any thoughts of ending my
# life", "never had any thoughts about self-harm". They do not count towards NEGATION_WINDOW.
DENIAL_FRAME: Final = frozenset(
    {"have", "has", "had", "any", "thoughts", "thought", "of", "about", "plans", "plan", "ever"}
    | {"intention", "intentions", "urges", "urge", "ideas", "idea", "been", "feelings", "real"}
    | {"feeling", "history", "desire", "serious", "active", "current", "currently", "to"}
    # "I don't feel like I want to die", "there's no way I would ever hurt my baby"
    | {"feel", "like", "i", "would", "will", "could", "ever"}
)
DENIAL_FRAME_MAX: Final = 6
# A negation cue is itself in doubt after these: "I'm not sure I don't want to die".
DOUBT_WORDS: Final = frozenset({"sure", "unsure", "certain", "whether"})
# Words that may stand between a cue and a hedge: "not even joking", "not gonna lie".
HEDGE: Final = re.compile(
    r"(?:even |really |being |going to |gonna |to )?(?:joking|kidding|lying|lie|exaggerating"
    r"|a joke)\b"
)
# "never ... before this week": a denial of the past that says it is true now.
NEVER_UNTIL_NOW: Final = re.compile(
    r"\b(?:before|until|till) (?:now|this|last|today|tonight|recently|yesterday|the other)\b"
)
# A denial taken back by what follows: "I don't self-harm any more. Except last night."
DENIAL_TAKEN_BACK: Final = re.compile(
    r"\b(?:except|apart from|other than|until|till|but) (?:for )?(?:last night|yesterday|today"
    r"|tonight|this morning|this week|the other (?:day|night)|on (?:monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday))\b|\b(?:probably|will|going to|might|gonna) (?:do (?:it|that)"
    r"|cut|hurt myself|end up doing it) again\b"
)
# A question reported with its answer: "the GP asked if I ever wanted to die and I said no".
ASKED: Final = re.compile(r"\b(?:asked|asks|asking|ask) (?:me )?(?:if|whether)\b")
ANSWERED_NO: Final = re.compile(
    r"\b(?:said|answered|say|told (?:her|him|them)) no\b|\bi said (?:i (?:do|did|have|had) not"
    r"|not)\b"
)
# "never" as an intensifier: "never wanted to die so much", "never felt this low".
NEVER_INTENSIFIER: Final = re.compile(
    r"\b(?:so much|so badly|so bad|more than ever|this much|as much|as badly|this low|this bad"
    r"|(?:this|so) (?:desperate|suicidal|hopeless|dark|empty|numb|alone|awful))\b"
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
    r"\b(?:used to|years ago|ages ago|long time ago|decades? ago|in the past|back then"
    r"|(?:years|ages|decades) back|as a (?:teenager|teen|kid|child|student|young(?:er)? \w+)"
    r"|when (?:i|he|she|they) (?:was|were) (?:young|younger|a teenager|a teen|a kid|a child"
    r"|little|small|at school|at uni|at university|at college|in (?:my|his|her|their) \w+|\d+)"
    r"|in (?:my|his|her|their) (?:early |late |mid )?(?:teens|twenties|20s|thirties|30s"
    r"|forties|40s|youth|childhood)|in (?:19\d\d|20[01]\d)|in the (?:19|20)?\d0s"
    r"|in the (?:sixties|seventies|eighties|nineties|noughties)"
    r"|not for years|for years now|history of|in recovery|recovery from|recovered from"
    r"|(?:clean|free) (?:from|of|for)|for (?:a|over a|more than a) decade)\b"
)
# Recovered now: "my daughter self-harmed last year and is doing well now" is the past.
RECOVERED: Final = re.compile(
    r"\b(?:is|are|am|has been|have been|been) doing (?:really |so )?(?:well|better|great|ok|okay"
    r"|fine) now\b|\bin a (?:good|better) place now\b"
)
# A milestone of years free of it is the past, even said today: "ten years free from self-harm
# today".
MILESTONE: Final = re.compile(
    r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|many|several) (?:years?|yrs) (?:free|clean) (?:from|of)\b"
)
# Where someone was, not when: past only when the clause is in the past tense ("I self-harmed at
# school", not "I self-harm at school").
PAST_SETTING: Final = re.compile(
    r"\b(?:at (?:school|uni|university|college|secondary|sixth form)|in (?:year|yr) \d+)\b"
)
PAST_TENSE: Final = re.compile(
    r"\b(?:[a-z]+ed|took|tried|cut|was|were|had|did|went|made|thought|felt|used to)\b"
)
BACK_TO_NOW: Final = re.compile(
    r"\b(?:again|still|started|starting|now|recently|lately|these days|last night|today"
    r"|tonight|yesterday|this week|this morning)\b"
)
# After a distant past, what brings it back to now, even in the next clause or sentence: "I tried
# to hang myself years ago and I'm thinking about it again", "as a kid I wanted to die and it
# never really went away".
REVIVAL: Final = re.compile(
    r"\b(?:again|(?:is|are|it is|they are|has come|have come|came|coming|come) back|returned"
    r"|returning|never (?:really )?(?:went|gone|goes) away|(?:the )?same (?:plan|thoughts"
    r"|feelings|way|urges)|feel the same|relapsed|relapsing|still (?:feel|am|want|think|have"
    r"|do|get the urge|is|are))\b"
)
# Phrases that name a subject people also teach, study or fund ("self-harm training for
# teachers", "overdose awareness"): discarded beside these words.
TOPIC_PHRASES: Final = frozenset(
    {"selfharm-named", "means-overdose", "intent-commit-suicide", "intent-thinking-suicide"}
    | {"intent-suicide-words"}
)
TOPIC_WORDS: Final = frozenset(
    {"training", "awareness", "prevention", "course", "courses", "workshop", "workshops"}
    | {"research", "charity", "charities", "supervision", "volunteer", "volunteers", "policy"}
    | {"volunteering", "teachers", "staff", "professionals", "statistics", "documentary"}
    | {"lecture", "module", "treats", "treating", "group", "groups", "leaflet", "leaflets"}
    | {"parents", "carers", "families", "schools"}
)
TOPIC_WINDOW: Final = 3
# A short text (a search, or an ask of a few words) that names a crisis is urgent however it is
# put ("suicide", "domestic violence help now"), unless it names a topic ("suicide prevention
# training", "domestic abuse support group").
SHORT_CRISIS_ID: Final = "short-crisis-words"
SHORT_TEXT_WORDS: Final = 6
SHORT_CRISIS: Final = (
    (re.compile(r" (?:suicide|suicidal|kill myself)(?= )"), "suicidal-intent"),
    (
        re.compile(
            r" (?:self harm|self harming|self injury|cutting myself"
            r"|cutting(?= (?:help|urgent|now|again|stop))|(?:stop|help) cutting)(?= )"
        ),
        "self-harm",
    ),
    (re.compile(r" (?:overdose|overdosed)(?= )"), "suicide-plan-or-means"),
    (
        re.compile(r" (?:domestic (?:violence|abuse)|abuse|abused|abusive|rape|raped)(?= )"),
        "threat-from-someone",
    ),
)
SHORT_TOPIC: Final = frozenset(
    TOPIC_WORDS
    | {"bereavement", "bereaved", "survivor", "survivors", "loss", "lost", "after", "film"}
    | {"book", "info", "information", "facts", "stats", "history"}
)
# Means within reach: a sign must come this close to the means (in characters, about 15 words).
MEANS_WINDOW_CHARS: Final = 90
MEANS_THRESHOLD: Final = 2
# One-slip typos are read as the word they slip from (see screening_typos.py); only words at
# least this long, and only letters.
TYPO_MIN_CHARS: Final = 4
# Dropped g: "killin", "cuttin", "thinkin" are read as "killing", "cutting", "thinking".
_DROPPED_G_MIN_CHARS: Final = 5
# "my self" written as two words ("I want to hurt my self"), but not "my self esteem".
_SPLIT_REFLEXIVE = re.compile(
    r" (my|him|her|your|them|our) (self|selves|selfs)(?= )(?! (?:esteem|worth|confidence|image"
    r"|care|harm|harming|harmed|injury|injuring|injure|respect|control|belief|doubt|help|love"
    r"|hatred|loathing|awareness|conscious|discipline|defence|defense|employed)(?= ))"
)
_BEFORE_PUNCTUATION: Final = (
    (re.compile(r"\bw/o\b"), "without"),
    (re.compile(r"\bsh'?d\b"), "self harmed"),
    (re.compile(r"\bsewer ?slide\b"), "suicide"),
)
_MACRO = re.compile(r"\{([a-z]+)\}")
# Spellings of suicide and suicidal more than one slip away (no English word matches).
_SUICIDE_LIKE = re.compile(r"su[aiey]?[cs][aiey]{0,2}d(e|al|le|el|ial|ail|l|ale|il|ul)")
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

    `negated` lists phrases (and means) that matched but were discarded as negated, in the
    distant past or named as a topic, for staff review of the phrase set; it takes no part in
    comparisons.
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
    # A weak phrase ("I've written my will", "I feel a burden") counts only beside another weak
    # phrase; on its own it is everyday speech far more often than danger.
    weak: bool = False


@dataclass(frozen=True, slots=True)
class MeansRule:
    """A row of `screening-means.csv`: a means of harm, a sign that it is within reach, or a
    guard (an ordinary reason to have it). See "Means within reach" in the module docstring."""

    id: str
    kind: str  # "means", "cue" or "guard"
    category: str  # for "means" rows: the category reported when the means is within reach
    weight: int  # for cues (positive) and guards (negative)
    applies_to: frozenset[str]  # ids of the means a cue or guard is about; empty: all of them
    pattern: str
    notes: str
    regex: re.Pattern[str]


def _expand(pattern: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in MACROS:
            raise ValueError(f"unknown macro {{{name}}} in pattern {pattern!r}")
        return MACROS[name]

    expanded = pattern
    for _depth in range(4):  # macros may use macros ({person} uses {relation})
        expanded = _MACRO.sub(replace, expanded)
    if _MACRO.search(expanded):
        raise ValueError(f"macros nested too deep in pattern {pattern!r}")
    # Whole words only: every token in the normalised text is surrounded by single spaces. The
    # leading space is matched, not looked behind, so the engine can skip to word starts.
    return rf" (?:{expanded})(?= )"


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
        if row["strength"] not in {"strong", "weak"}:
            raise ValueError(f"phrase {row['id']} has unknown strength {row['strength']!r}")
        regex = re.compile(_expand(row["pattern"]))
        weak = row["strength"] == "weak"
        result.append(Phrase(row["id"], row["category"], row["pattern"], row["notes"], regex, weak))
    return tuple(result)


@cache
def means_rules() -> tuple[MeansRule, ...]:
    result = []
    for row in _read_csv("screening-means.csv"):
        kind, weight = row["kind"], int(row["weight"] or 0)
        if kind not in {"means", "cue", "guard"}:
            raise ValueError(f"means rule {row['id']} has unknown kind {kind!r}")
        if kind == "means" and row["category"] not in CATEGORIES:
            raise ValueError(f"means {row['id']} has unknown category {row['category']!r}")
        if (kind == "cue" and weight <= 0) or (kind == "guard" and weight >= 0):
            raise ValueError(f"{kind} {row['id']} has the wrong sign of weight")
        rule = MeansRule(
            id=row["id"],
            kind=kind,
            category=row["category"],
            weight=weight,
            applies_to=frozenset(row["applies_to"].split()),
            pattern=row["pattern"],
            notes=row["notes"],
            regex=re.compile(_expand(row["pattern"])),
        )
        result.append(rule)
    means_ids = {rule.id for rule in result if rule.kind == "means"}
    for rule in result:
        if not rule.applies_to <= means_ids:
            raise ValueError(f"{rule.id} applies to unknown means {set(rule.applies_to)}")
    return tuple(result)


def match_ids() -> frozenset[str]:
    """Every id a `Screening` can report in `matches` (phrases, means, short crisis words)."""
    means_ids = {rule.id for rule in means_rules() if rule.kind == "means"}
    return frozenset({phrase.id for phrase in phrases()} | means_ids | {SHORT_CRISIS_ID})


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
    sources = [p.pattern for p in phrases()] + [r.pattern for r in means_rules()]
    sources += list(MACROS.values()) + list(spellings().values())
    for source in sources:
        words.update(re.findall(r"[a-z]{2,}", source))
    return frozenset(words)


@cache
def _typos() -> dict[str, str]:
    """One-slip typos of the target words in `screening-typos.csv`, each mapped to its word.

    A slip that is itself a word (an English word listed there as "real", a word the patterns
    use, a spelling) is left alone, and so is a slip of two different targets.
    """
    rows = _read_csv("screening-typos.csv")
    targets = [row["word"] for row in rows if row["kind"] == "target"]
    keep = {row["word"] for row in rows if row["kind"] == "real"} | set(targets)
    keep |= _vocabulary() | set(spellings())
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for target in targets:
        for slip in neighbours(target):
            if slip in keep:
                continue
            if found.setdefault(slip, target) != target:
                ambiguous.add(slip)
    return {slip: target for slip, target in found.items() if slip not in ambiguous}


@lru_cache(maxsize=65_536)
def _read_word(word: str) -> str:
    """One word as screening reads it: repeats shortened, spelt out, a dropped g or a slip put
    right ("killin" -> "killing", "myslf" -> "myself")."""
    word = _unrepeat(word)
    spelled = spellings()
    if word in spelled:
        return spelled[word]
    if len(word) < TYPO_MIN_CHARS or not word.isalpha() or word in _vocabulary():
        return word
    dropped_g = len(word) >= _DROPPED_G_MIN_CHARS and word.endswith("in")
    if dropped_g and f"{word}g" in _vocabulary():
        return f"{word}g"
    typo = _typos().get(word)
    if typo is None:
        return _suicide_like(word) or word
    return spelled.get(typo, typo)


def _suicide_like(word: str) -> str | None:
    """ "sucidle", "suiside", "suecidal": more than one slip from the word, still the word."""
    match = _SUICIDE_LIKE.fullmatch(word)
    if not match:
        return None
    return "suicide" if match.group(1) == "e" else "suicidal"


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
    for pattern, replacement in _BEFORE_PUNCTUATION:
        text = pattern.sub(replacement, text)
    text = _BOUNDARY_PUNCT.sub(" . ", text)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = _NOT_WORD.sub(" ", text)
    words = []
    for word in text.split():
        if len(word) > MAX_WORD_CHARS:
            words.append("~")
            continue
        words.append(_read_word(word))
    joined = f" {' '.join(words)} "
    joined = _AMBIGUOUS_CONTRACTION.sub(
        lambda m: f"{m.group(1)} {'will' if m.group(2) == 'll' else 'would'} ", joined
    )
    joined = _SPLIT_REFLEXIVE.sub(lambda m: f" {m.group(1)}{m.group(2)}", joined)
    joined = joined.replace(" themself ", " themselves ").replace(" themselfs ", " themselves ")
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


def _is_negated(before: list[str], after: Sequence[str] = ()) -> bool:
    """Is there a negation cue in the last few words of the clause before a match?

    Words of a denial's frame right before the match ("have any thoughts of") are passed over
    and do not count towards the window. A cue in doubt ("not sure I don't want to die") and
    "never" as an intensifier ("never wanted to die so much") do not negate.
    """
    counted = 0
    in_frame = True
    for index in range(len(before) - 1, -1, -1):
        if _is_clause_end(before, index):
            return False
        word = before[index]
        if in_frame and word in DENIAL_FRAME and len(before) - index <= DENIAL_FRAME_MAX:
            continue
        in_frame = False
        if counted >= NEGATION_WINDOW:
            return False
        counted += 1
        rest = [*before[index + 1 :], *after[:1]]  # the match itself follows the last word
        following = rest[0] if rest else ""
        if word not in NEGATION_CUES or (
            following in PSEUDO_NEGATION_NEXT and not _is_no_way_denial(before, index)
        ):
            continue
        if HEDGE.match(" ".join(rest[:4])):
            continue
        if _in_doubt(before[max(0, index - 4) : index]):
            continue
        after_never = " ".join([*before[index + 1 :], *_clause_after(after)])
        if word == "never" and NEVER_INTENSIFIER.search(after_never):
            continue
        if word == "never" and NEVER_UNTIL_NOW.search(" ".join(_clause_after(after[1:]))):
            continue
        return True
    return False


def _is_no_way_denial(words: list[str], index: int) -> bool:
    """ "No way I would ever...": a denial, though "no way" is usually not ("no way out")."""
    return words[index : index + 2] == ["no", "way"] and index + 2 < len(words)


def _in_doubt(words: list[str]) -> bool:
    return bool(DOUBT_WORDS.intersection(words)) or ("know" in words and "if" in words)


def _clause_after(after: Sequence[str]) -> list[str]:
    words = list(after)
    for index in range(len(words)):
        if _is_clause_end(words, index):
            return words[:index]
    return words


def _is_topic(before: list[str], after: list[str]) -> bool:
    """Is the match named as a subject ("self-harm training for teachers")?"""
    near = []
    for index in range(len(before) - 1, max(-1, len(before) - 1 - TOPIC_WINDOW), -1):
        if _is_clause_end(before, index):
            break
        near.append(before[index])
    near += _clause_after(after)[:TOPIC_WINDOW]
    return bool(TOPIC_WORDS.intersection(near))


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


def _is_answered_no(before: list[str], after: list[str]) -> bool:
    """Is the match a question someone was asked, reported with the answer no?"""
    asked = " ".join(before[-8:])
    return bool(ASKED.search(asked)) and bool(ANSWERED_NO.search(" ".join(after[:10])))


def _is_distant_past(clause: str, following: str = "") -> bool:
    """Does the clause place the match in the distant past, with nothing that follows bringing
    it back to now?"""
    if MILESTONE.search(clause) or RECOVERED.search(clause):
        return not (REVIVAL.search(clause) or REVIVAL.search(following))
    if BACK_TO_NOW.search(clause):
        return False
    distant = DISTANT_PAST.search(clause) or (
        PAST_SETTING.search(clause) and PAST_TENSE.search(clause)
    )
    return bool(distant) and not REVIVAL.search(following)


def _discarded(text: str, start: int, end: int, topic: bool = False) -> bool:
    """Is the match at text[start:end] negated, in the distant past, or (for topic phrases)
    named as a subject?"""
    before = text[max(0, start - 400) : start].split()[-30:]
    after = text[end : end + 400].split()[:30]
    if _is_negated(before, [*text[start:end].split(), *after]):
        return not DENIAL_TAKEN_BACK.search(" ".join(after[:15]))
    if _is_answered_no(before, after):
        return True
    if topic and _is_topic(before, after):
        return True
    return _is_distant_past(_clause_around(before, after, text[start:end]), " ".join(after))


def _means_within_reach(text: str) -> tuple[dict[str, str], list[str]]:
    """Means of harm with signs around them that they are within reach (see the docstring)."""
    rules = means_rules()
    mentions = [
        (rule, match)
        for rule in rules
        if rule.kind == "means"
        for match in rule.regex.finditer(text)
    ]
    found: dict[str, str] = {}
    negated: list[str] = []
    if not mentions:  # most texts name no means: skip looking for signs
        return found, negated
    signals = [rule for rule in rules if rule.kind != "means"]
    starts = {rule.id: [m.start() for m in rule.regex.finditer(text)] for rule in signals}
    for rule, match in mentions:
        if rule.id in found:
            continue
        start, end = match.start() + 1, match.end()
        low, high = start - MEANS_WINDOW_CHARS, end + MEANS_WINDOW_CHARS
        score = sum(
            signal.weight
            for signal in signals
            if (not signal.applies_to or rule.id in signal.applies_to)
            and _any_between(starts[signal.id], low, high)
        )
        if score < MEANS_THRESHOLD:
            continue
        if _discarded(text, start, end):
            negated.append(rule.id)
            continue
        found[rule.id] = rule.category
    return found, negated


def _any_between(positions: list[int], low: int, high: int) -> bool:
    """Does a sorted list hold a position in [low, high)?"""
    index = bisect_left(positions, low)
    return index < len(positions) and positions[index] < high


def _short_crisis(text: str) -> str | None:
    """The category of a short text that names a crisis (see SHORT_CRISIS), if it is one."""
    words = [word for word in text.split() if word not in {".", "~"}]
    if not words or len(words) > SHORT_TEXT_WORDS or SHORT_TOPIC.intersection(words):
        return None
    for regex, category in SHORT_CRISIS:
        for match in regex.finditer(text):
            if not _discarded(text, match.start() + 1, match.end()):
                return category
    return None


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
    weak: dict[str, str] = {}
    negated: list[str] = []
    for phrase in phrases():
        for match in phrase.regex.finditer(normalised):
            start, end = match.start() + 1, match.end()  # + 1: the leading space
            if _discarded(normalised, start, end, topic=phrase.id in TOPIC_PHRASES):
                negated.append(phrase.id)
                continue
            (weak if phrase.weak else fired)[phrase.id] = phrase.category
            break
    means, means_negated = _means_within_reach(normalised)
    fired.update(means)
    negated += means_negated
    short = _short_crisis(normalised)
    if short and not fired:
        fired[SHORT_CRISIS_ID] = short
    if fired or len(weak) >= 2:  # a weak phrase counts only beside another sign
        fired.update(weak)
    categories = tuple(c for c in CATEGORIES if c in fired.values())
    return Screening(
        is_urgent=bool(fired),
        categories=categories,
        matches=tuple(fired),
        negated=tuple(dict.fromkeys(negated)),
    )
