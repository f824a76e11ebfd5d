"""Crisis screening: labelled statements, idioms, negation, hostile input."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from kith.asks import screening
from kith.asks.screening import (
    CATEGORIES,
    Screening,
    match_ids,
    means_rules,
    normalise,
    phrases,
    screen,
)
from kith.asks.screening_typos import neighbours, real_neighbours

DATA = Path(__file__).resolve().parent / "data"


def labelled(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


TUNING = labelled("screening-tuning.csv")
HELD_OUT = labelled("screening-heldout.csv")
# The class sets: statements in classes of difficulty (means without intent, third person,
# negation...). The first class held-out set (and the earlier engineer's class set) were tuned on
# from 2026-12-08, once measured; the second held-out set was written before that round, its
# checksum recorded in docs/benchmarks.md, and is never used to tune; it must not change.
CLASS_TUNING = labelled("screening-classes-tuning.csv")
CLASS_HELD_OUT_FILE = DATA / "screening-classes-heldout.csv"
CLASS_HELD_OUT = labelled(CLASS_HELD_OUT_FILE.name)
CLASS_HELD_OUT_SHA256 = "ee5df62478a1c1515db4cbb3f461cfc8fa8bb1628cb128e4d7c3ad58891700d1"
CLASS_HELD_OUT_2_FILE = DATA / "screening-classes-heldout-2.csv"
CLASS_HELD_OUT_2 = labelled(CLASS_HELD_OUT_2_FILE.name)
CLASS_HELD_OUT_2_SHA256 = "e2f8d2d8a004e77104e08543c96f030298c96578862c97de06016528486b7a90"
# The earlier engineer's class set (untracked when first measured): tuned on since 2026-12-08.
EARLIER_CLASS_SET_FILE = DATA / "screening-heldout-classes.csv"
EARLIER_CLASS_SET = labelled(EARLIER_CLASS_SET_FILE.name) if EARLIER_CLASS_SET_FILE.exists() else []
# Former held-out statements left unfixed on purpose: "sort myself out for good" is as often
# said of recovery as of ending a life; firing on it would be a one-phrase patch.
KNOWN_MISSES = {"im going to sort myself out for good this time"}
CLASSES = {
    "means-without-intent",
    "third-person",
    "indirect",
    "past-vs-present",
    "negation",
    "idiom",
    "typos",
    "text-speak",
    "harm-to-others",
    "abuse",
    "child-at-risk",
    "self-harm",
    "everyday",
    "search-query",
}


def rates(rows: list[dict[str, str]]) -> tuple[float, float]:
    """Recall (urgent rows screened urgent) and false-positive rate (others screened urgent)."""
    urgent = [row for row in rows if row["is_urgent"] == "1"]
    calm = [row for row in rows if row["is_urgent"] == "0"]
    found = sum(screen(row["text"]).is_urgent for row in urgent)
    false_alarms = sum(screen(row["text"]).is_urgent for row in calm)
    return found / len(urgent), false_alarms / len(calm)


def test_the_labelled_sets_are_big_enough_and_well_formed() -> None:
    # given both labelled sets
    rows = TUNING + HELD_OUT
    # then there are at least 200, with at least 90 of each kind, 40 held out
    assert len(HELD_OUT) == 40
    assert len(rows) >= 200
    assert sum(row["is_urgent"] == "1" for row in rows) >= 90
    assert sum(row["is_urgent"] == "0" for row in rows) >= 90
    for row in rows:
        assert row["is_urgent"] in {"0", "1"}
        assert (row["category"] in CATEGORIES) == (row["is_urgent"] == "1"), row["text"]
    assert len({row["text"] for row in rows}) == len(rows)


@pytest.mark.parametrize("row", TUNING, ids=lambda row: row["text"][:60])
def test_every_tuning_statement_is_screened_as_labelled(row: dict[str, str]) -> None:
    # given a labelled statement
    # when it is screened
    result = screen(row["text"])
    # then urgency matches the label, and an urgent one carries its category
    assert result.is_urgent is (row["is_urgent"] == "1")
    if result.is_urgent:
        assert row["category"] in result.categories
    else:
        assert result.categories == ()
        assert result.matches == ()


def test_the_class_sets_are_big_enough_and_well_formed() -> None:
    # given the class sets, tuning and held out
    # then each has at least 200 statements, every class has both kinds (everyday: calm only),
    # and no statement appears twice in any set
    for rows in (CLASS_TUNING, CLASS_HELD_OUT, CLASS_HELD_OUT_2):
        assert len(rows) >= 200
        assert {row["class"] for row in rows} == CLASSES
        for name in CLASSES - {"everyday"}:
            kinds = {row["is_urgent"] for row in rows if row["class"] == name}
            assert kinds == {"0", "1"}, name
        for row in rows:
            assert row["is_urgent"] in {"0", "1"}
            assert (row["category"] in CATEGORIES) == (row["is_urgent"] == "1"), row["text"]
        assert len({row["text"] for row in rows}) == len(rows)
    # and nothing tuned on is in the class held-out set, except two of the issue's own examples
    # that were already in the first tuning set ("this commute is killing me")
    others = TUNING + HELD_OUT + labelled("screening-lead-check.csv")
    assert not {row["text"] for row in CLASS_TUNING} & {row["text"] for row in others}
    shared = {row["text"] for row in CLASS_HELD_OUT} & {row["text"] for row in others}
    assert shared == {"i dont want to be here anymore", "this commute is killing me"}
    assert not {row["text"] for row in CLASS_TUNING} & {row["text"] for row in CLASS_HELD_OUT}
    # and the second held-out set shares no statement with anything tuned on
    tuned = others + CLASS_TUNING + CLASS_HELD_OUT + EARLIER_CLASS_SET
    assert not {row["text"] for row in CLASS_HELD_OUT_2} & {row["text"] for row in tuned}


def test_the_class_held_out_set_is_unchanged() -> None:
    # given the checksum recorded before the screener was first run on it
    # then the file is byte for byte what was measured
    digest = hashlib.sha256(CLASS_HELD_OUT_FILE.read_bytes()).hexdigest()
    assert digest == CLASS_HELD_OUT_SHA256


def test_the_second_class_held_out_set_is_unchanged() -> None:
    # given the checksum recorded when it was written, before any screener was run on it
    # then the file is byte for byte what was measured
    digest = hashlib.sha256(CLASS_HELD_OUT_2_FILE.read_bytes()).hexdigest()
    assert digest == CLASS_HELD_OUT_2_SHA256


@pytest.mark.parametrize("row", CLASS_TUNING, ids=lambda row: row["text"][:60])
def test_every_class_tuning_statement_is_screened_as_labelled(row: dict[str, str]) -> None:
    # given a labelled statement from the class tuning set
    # when it is screened
    result = screen(row["text"])
    # then urgency matches the label
    assert result.is_urgent is (row["is_urgent"] == "1")


@pytest.mark.parametrize(
    "row",
    [row for row in CLASS_HELD_OUT + EARLIER_CLASS_SET if row["text"] not in KNOWN_MISSES],
    ids=lambda row: row["text"][:60],
)
def test_every_former_held_out_statement_is_screened_as_labelled(row: dict[str, str]) -> None:
    # given a statement from the first class held-out set or the earlier engineer's class set,
    # measured as held out on 2026-12-07 and tuned on (by class) since 2026-12-08
    # when it is screened
    result = screen(row["text"])
    # then urgency matches the label
    assert result.is_urgent is (row["is_urgent"] == "1")


def test_the_known_former_held_out_misses_are_still_missed() -> None:
    # given the former held-out statements left unfixed on purpose (see KNOWN_MISSES)
    # then they are still missed: when one is found, move it out of the list
    assert all(not screen(text).is_urgent for text in KNOWN_MISSES)


def test_second_class_held_out_recall_and_false_alarms_stay_at_the_measured_floor() -> None:
    # given the 294 statements of the second class held-out set (153 urgent, 141 not), written
    # before the 2026-12-08 round and never tuned on
    urgent = [row for row in CLASS_HELD_OUT_2 if row["is_urgent"] == "1"]
    calm = [row for row in CLASS_HELD_OUT_2 if row["is_urgent"] == "0"]
    # when they are screened
    found = sum(screen(row["text"]).is_urgent for row in urgent)
    false_alarms = sum(screen(row["text"]).is_urgent for row in calm)
    # then they are no worse than measured on 2026-12-08 (second and last run: 120/153 = 0.78
    # found, 6/141 = 0.04 false alarms; the first run, before the last round, found 116). This
    # is the measured floor, NOT the target (recall 1.0, at most 3% false alarms); the
    # misses are listed in docs/benchmarks.md. Never tune on this set.
    assert (len(urgent), len(calm)) == (153, 141)
    assert found >= 120
    assert false_alarms <= 6


def test_held_out_recall_and_false_positive_rate() -> None:
    # given the 40 held-out statements, never used while tuning
    # when they are screened
    recall, false_positive_rate = rates(HELD_OUT)
    # then recall is at least 0.9 and the false-positive rate at most 0.1 (measured held out:
    # 0.95, 0.0; its one miss, "the baby's dad shakes her", was found by the shaken-baby class
    # fix of 2026-12-08, so this set is no longer unseen)
    assert recall >= 0.9
    assert false_positive_rate <= 0.1
    assert (recall, false_positive_rate) == (1.0, 0.0)


def test_tuning_set_is_fully_right() -> None:
    assert rates(TUNING) == (1.0, 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal",
        "I have never self-harmed",
        "no thoughts of ending my life",
        "I used to self-harm years ago but I'm fine now",
        "my phone is dying",
        "I'm dying to see the show",
        "I killed it in my exam",
        "this commute is killing me",
        "my feet are killing me",
        "I could murder a cup of tea",
        "dead tired",
        "bored to death",
        "I'm going to kill my brother if he eats my cake",
        "the plant died",
        "I'd die for a holiday",
        "Im not going to kill myself",
        "i dont want to die",
        "I would never hurt my kids",
        "",
        "   \n\t ",
    ],
)
def test_negation_idiom_and_distant_past_do_not_fire(text: str) -> None:
    assert screen(text) == Screening(is_urgent=False)


@pytest.mark.parametrize(
    ("text", "category", "match"),
    [
        ("I want to die", "suicidal-intent", "intent-want-die"),
        ("I'm not okay and I want to die", "suicidal-intent", "intent-want-die"),
        ("I can't stop thinking about killing myself", "suicidal-intent", "intent-kill-self"),
        ("my feet are killing me and I want to die", "suicidal-intent", "intent-want-die"),
        (
            "I used to self harm and I've started cutting again",
            "self-harm",
            "selfharm-cutting-again",
        ),
        ("i took an overdose last night", "suicide-plan-or-means", "means-overdose"),
        ("I'M GOING TO KILL MYSELF!!!", "suicidal-intent", "intent-kill-self"),
        ("i wanna dieeeee", "suicidal-intent", "intent-want-die"),
        ("he said hed kill me", "threat-from-someone", "threat-said"),
        ("my husband will kill me if he finds out", "threat-from-someone", "threat-will-hurt-me"),
        ("ive been saving up my tablets", "suicide-plan-or-means", "means-stockpile"),
    ],
)
def test_danger_fires_with_its_category_and_phrase(text: str, category: str, match: str) -> None:
    # when
    result = screen(text)
    # then
    assert result.is_urgent is True
    assert category in result.categories
    assert match in result.matches


def test_negation_does_not_reach_past_the_window_or_the_clause() -> None:
    # given a negation four words before, and one in an earlier clause
    far = screen("not that anyone asks but really i want to die")
    earlier = screen("I'm not sleeping. I want to die")
    # then both still fire
    assert far.matches == ("intent-want-die",)
    assert earlier.matches == ("intent-want-die",)


def test_negated_phrases_are_reported_separately() -> None:
    result = screen("I'm not suicidal")
    assert result.is_urgent is False
    assert result.negated == ("intent-suicidal",)


def test_danger_at_the_end_of_a_100000_character_message_is_found() -> None:
    # given a long rambling message about the rent with danger in its last words
    filler = "the rent went up again and my landlord will not fix the boiler, "
    danger = " and i want to end my life"
    text = (filler * (100_000 // len(filler) + 1))[: 100_000 - len(danger)] + danger
    assert len(text) == 100_000
    # when
    result = screen(text)
    # then it is found (how long it takes is measured in benchmarks/screening.py)
    assert result.matches == ("intent-end-life",)


def test_beyond_the_scan_budget_the_start_and_the_end_are_both_scanned() -> None:
    # given a message longer than the budget with danger at both extremes
    middle = "x " * screening.MAX_SCAN_CHARS
    start = screen("he threatened me with a knife. " + middle)
    end = screen(middle + " i want to die")
    # then both are found
    assert start.categories == ("threat-from-someone",)
    assert end.categories == ("suicidal-intent",)


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02\x1b[31m\x7f",
        "😀🔥💀🙃" * 1000,
        "\ud800\udfff lone surrogates",
        "אני רוצה למות",
        "我想死",
        "أريد أن أموت",
        "a" * 100_000,
        "aaaa " * 20_000,
        "not " * 25_000,
        "kill " * 20_000,
        "Q" + "w9" * 50_000,
        "'" * 10_000,
        "\u202e\u200b\ufeff",
        "...!!!???,,,",
        "(" * 5_000 + ")" * 5_000,
    ],
)
def test_hostile_input_never_raises_and_never_errors(text: str) -> None:
    # when
    result = screen(text)
    # then a plain result comes back without the error marker
    assert isinstance(result, Screening)
    assert "screening-error" not in result.matches


def test_non_text_input_is_treated_as_text() -> None:
    assert screen(None) == Screening(is_urgent=False)  # type: ignore[arg-type]
    assert screen(12345) == Screening(is_urgent=False)  # type: ignore[arg-type]


def test_an_internal_failure_leans_towards_help(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a bug inside screening
    def broken(text: str) -> Screening:
        raise RuntimeError("bug")

    monkeypatch.setattr(screening, "_screen", broken)
    # when
    result = screen("anything")
    # then crisis options are shown rather than none, and nothing is raised
    assert result == Screening(is_urgent=True, matches=("screening-error",))


def test_matches_are_phrase_ids_never_the_persons_words() -> None:
    # given every labelled statement
    known = match_ids()
    for row in TUNING + HELD_OUT + CLASS_TUNING:
        if len(row["text"].split()) < 3:  # a one-word search may be a phrase id's own word
            continue
        result = screen(row["text"])
        # then every match is a known phrase id and the text appears nowhere in the result
        assert set(result.matches) <= known
        assert set(result.negated) <= known
        assert set(result.categories) <= set(CATEGORIES)
        assert row["text"] not in repr(result)
        assert normalise(row["text"]).strip() not in result.matches


def test_screening_is_frozen() -> None:
    result = screen("I want to die")
    with pytest.raises(FrozenInstanceError):
        result.is_urgent = False  # type: ignore[misc]


def test_phrase_data_is_well_formed() -> None:
    # given the phrase set
    rows = phrases()
    # then ids are unique, every category is used, and every phrase has notes
    assert len({phrase.id for phrase in rows}) == len(rows)
    assert {phrase.category for phrase in rows} == set(CATEGORIES)
    assert all(phrase.notes for phrase in rows)


def test_normalisation_reads_text_speak_and_missing_apostrophes() -> None:
    assert normalise("Im   sooo DONE, u know?? cant go on") == (
        " i am so done . you know . can not go on "
    )
    assert normalise("He’ll kill me") == " he will kill me "
    assert normalise("ill kill him") == " i will kill him "
    assert normalise("I feel ill") == " i feel ill "


# One test per class of statement the screener once missed or over-fired on. The examples are
# from the class tuning set (kith/asks/tests/data/screening-classes-tuning.csv).


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("got a stash of pills saved up, just in case", "reach-medicine"),
        ("i've still got all the tramadol from my knee op, a couple of hundred", "reach-medicine"),
        ("my mums sleeping tablets are in my room now", "reach-medicine"),
        ("i've got access to my partner's shotgun", "reach-firearm"),
        ("bought a new rope from b&q, didn't need it for anything", "reach-ligature"),
        ("been sitting in my car with a hose and some tape in the boot", "reach-exhaust"),
        ("stood at the edge of the cliffs at beachy head for ages today", "reach-height"),
        ("im sat by the river near the weir, been here an hour", "reach-water"),
        ("i keep razor blades hidden in my room", "reach-blade"),
    ],
)
def test_means_within_reach_fires_without_a_word_of_intent(text: str, match: str) -> None:
    # when a means is named with signs that it is within reach
    result = screen(text)
    # then it is urgent, reported as that means
    assert result.is_urgent is True
    assert match in result.matches


@pytest.mark.parametrize(
    "text",
    [
        "got new tablets from the gp for my blood pressure",
        "we keep a rope in the car for towing",
        "i keep forgetting to take my tablets, is there an app",
        "we have a gun cabinet for my husband's clay shooting",
        "i love walking by the river to clear my head",
        "my car exhaust is making a funny noise, know a cheap garage?",
        "the train was cancelled again so i missed my appointment",
    ],
)
def test_means_named_for_an_ordinary_reason_do_not_fire(text: str) -> None:
    assert screen(text).is_urgent is False


def test_a_denied_means_does_not_fire() -> None:
    # given the means is denied
    result = screen("i don't have any tablets in the house, they are all locked away")
    # then nothing fires
    assert result.is_urgent is False


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        # a denial may run through "have any thoughts of" before what it denies
        ("i don't have any thoughts of ending my life", False),
        ("never had any thoughts about self harm", False),
        ("i don't feel like i want to die, just tired", False),
        ("there's no way i would ever hurt my baby", False),
        # but not through "not ok" or "not sleeping": those cues are about something else
        ("i'm not ok and have thoughts of ending my life", True),
        ("i have not been sleeping and have thoughts of killing myself", True),
        # a negation in doubt does not negate
        ("not sure that i don't want to end it", True),
        # "never" as an intensifier does not negate
        ("never wanted to die so much", True),
        ("i've never felt so much like dying", True),
        # "can't stop" is not a denial of what follows
        ("i cant stop cuttng", True),
        # a gap in a phrase is never filled by a negation
        ("he's never hit me, but we argue a lot", False),
    ],
)
def test_negation_reaches_through_denials_and_stops_at_its_limits(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    "text",
    [
        "i don't want to live anymore",
        "i'm not sure i want to be alive",
        "i can't keep myself safe",
        "i dont care if i live or die",
        "i wouldn't mind if i didn't wake up",
        "i'm not afraid to die anymore",
        "i can't promise i won't do something tonight",
        "there's no way i can go on",
    ],
)
def test_danger_worded_as_a_negation_fires(text: str) -> None:
    assert screen(text).is_urgent is True


def test_a_phrase_is_not_cut_short_by_a_word_that_starts_like_an_exception() -> None:
    # given an exception list with "at" (live at home) and "a" (go on a holiday)
    # then "at all" and "and" are not taken for them
    assert screen("i dont want to live at all").is_urgent is True
    assert screen("my wife says she can't go on and has locked herself in the bathroom").is_urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("i tried to hang myself years ago and i'm thinking about it again", True),
        ("as a kid i wanted to die and it never really went away", True),
        ("i used to be suicidal as a teen and now it's back", True),
        ("attempted on friday, still feel the same", True),
        ("i came out of hospital after my attempt yesterday", True),
        ("took 30 paracetamol on monday and didn't tell anyone", True),
        ("i attempted suicide in my teens, i'm 50 now and want to volunteer", False),
        ("i self harmed at school, now i help run a support group", False),
        ("i've been in recovery from self harm for a decade", False),
        ("i had a suicide attempt over a decade ago and i'm now a counsellor", False),
        ("my dad attempted suicide when he was young and never talks about it", False),
    ],
)
def test_the_past_comes_back_to_now_when_the_words_say_so(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("my neighbour took her own life last year and the street is still shaken", False),
        ("my girlfriend tried to kill herself on sunday", True),
        ("my son's friend told him he is going to hang himself", True),
        ("my dad says he's just waiting to die and has stopped his meds", True),
        ("my grandad keeps saying he wants to join my gran", True),
    ],
)
def test_third_person_danger_fires_and_a_death_someone_grieves_does_not(
    text: str, urgent: bool
) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    "text",
    [
        "i want to go to sleep forever",
        "i just want to be with my dad again",
        "i'm going to end things tonight",
        "i've put my affairs in order",
        "i want to take the easy way out",
        "i won't be a problem for anyone much longer",
        "i keep thinking the world would be better without me",
        "i'm thinking of taking myself out of the picture for good",
        "been thinking about ctb",
    ],
)
def test_indirect_and_euphemistic_danger_fires(text: str) -> None:
    assert screen(text).is_urgent is True


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        # one weak sign alone is everyday speech; two together are not
        ("i feel like a burden on my family since my injury, want to get more independent", False),
        ("i've written my will and sorted who gets the cat", True),
        ("i've made up my mind, i just need to find the right time", True),
    ],
)
def test_a_weak_phrase_counts_only_beside_another(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("i want to kil my self", " i want to kill myself "),
        ("feeling suacidal", " feeling suicidal "),
        ("thinking of killin myself", " thinking of killing myself "),
        ("i dont want to be alvie", " i do not want to be alive "),
        ("lyk i dnt wanna b here anymore", " like i do not want to be here any more "),
        ("ppl wud b better off w/o me", " people would be better off without me "),
        ("sh'd again last nite", " self harmed again last night "),
        # real words are never "corrected", however close to a danger word
        ("jump off the bride", " jump off the bride "),
        ("my self esteem is low", " my self esteem is low "),
    ],
)
def test_typos_and_text_speak_are_read_as_meant(written: str, read: str) -> None:
    assert normalise(written) == read


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("my sister would kill me if she knew i was here lol", False),
        ("my dad is going to murder me for denting the car", False),
        ("my son says the exam will kill him", False),
        ("i want to kill my alarm clock every morning", False),
        ("i fell off my bike and hurt myself", False),
        ("so tired i could die, and i mean i actually want to", True),
        ("i hurt myself on purpose", True),
        ("my dad will kill me if he finds out i'm gay, he's hit me before", True),
    ],
)
def test_idioms_are_masked_unless_made_literal(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i think my daughter's stepdad is abusing her", "child-at-risk"),
        ("my 2 year old was left alone all night", "child-at-risk"),
        ("my son is being exploited by a gang, they make him carry drugs", "child-at-risk"),
        ("the children haven't eaten today and there's no food", "child-at-risk"),
        ("my son pushes me around and takes my pension", "threat-from-someone"),
        ("my ex is stalking me and said he knows where i live", "threat-from-someone"),
        ("he grabbed me by the throat last night", "threat-from-someone"),
        ("i keep imagining strangling my boss", "harm-to-others"),
        ("voices are telling me to harm my flatmate", "harm-to-others"),
        ("i bang my head on the wall", "self-harm"),
        ("i've been making myself sick every day and not eating", "self-harm"),
    ],
)
def test_harm_to_others_abuse_and_safeguarding_fire_with_their_category(
    text: str, category: str
) -> None:
    result = screen(text)
    assert category in result.categories


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("suicide", True),
        ("domestic violence help now", True),
        ("self harm", True),
        ("suicide awareness course", False),
        ("domestic abuse support group", False),
        ("self harm training for teachers", False),
        ("self harm support for parents", False),
    ],
)
def test_a_short_text_naming_a_crisis_fires_unless_it_names_a_topic(
    text: str, urgent: bool
) -> None:
    # given a search or a very short ask
    assert screen(text).is_urgent is urgent


def test_means_and_typo_data_are_well_formed() -> None:
    # given the means rules
    rules = means_rules()
    # then ids are unique and every kind is there
    assert len({rule.id for rule in rules}) == len(rules)
    assert {rule.kind for rule in rules} == {"means", "cue", "guard"}
    assert all(rule.notes for rule in rules)
    # and the typo targets and the real words never overlap
    with (screening.DATA_DIR / "screening-typos.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    targets = {row["word"] for row in rows if row["kind"] == "target"}
    real = {row["word"] for row in rows if row["kind"] == "real"}
    assert len(targets) > 100
    assert len(real) > 100
    assert not targets & real


def test_one_slip_neighbours_and_the_real_words_among_them() -> None:
    # given a target and a tiny dictionary
    slips = set(neighbours("bridge"))
    # then a letter left out, swapped or added is a neighbour, but never the first letter
    assert {"brige", "brdige", "briddge"} <= slips
    assert "ridge" not in slips
    assert real_neighbours(["bridge"], ["bride\n", "Bridge\n", "table\n"]) == ["bride"]


# Class fixes of 2026-12-08 (each class found in the former held-out sets, each test written with
# statements of its own, none from the second held-out set).


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        # a hedge insists rather than denies
        ("not even joking i want to die", True),
        ("not kidding, i want to kill myself", True),
        ("not joking about the rent, it's gone up again", False),
        # "never ... before this week" says it is true now
        ("never thought about suicide before this month, now i can't stop", True),
        ("never thought about suicide, just stressed", False),
        # a denial taken back by what follows
        ("i don't self harm any more. except last night", True),
        ("i don't self harm any more and i'm proud of that", False),
        # a question reported with its answer
        ("the nurse asked if i wanted to die and i said no", False),
        ("the nurse asked if i wanted to die and i said yes", True),
    ],
)
def test_negation_has_limits_hedges_taken_back_denials_and_answered_questions(
    text: str, urgent: bool
) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("eight years free from self harm today, just wanted to say", False),
        ("my aunt attempted suicide in the 80s and talks about it openly", False),
        ("10 years clean from cutting and i relapsed last night", True),
    ],
)
def test_milestones_and_decades_are_the_past_unless_it_comes_back(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        # two weak signs together: a goodbye and then silence, settling up, a calm after a decision
        ("my cousin sent a text saying sorry for everything and now she's not replying", True),
        ("my mum sent a text saying goodbye from the airport", False),
        ("my phone is off during exams, email me", False),
        ("paid off all my debts and cancelled my subscriptions, it feels final", True),
        ("paid off all my debts this year and feel proud", False),
        ("rehomed the dog and i feel strangely calm", True),
        ("i feel strangely calm since yoga", False),
    ],
)
def test_weak_signs_of_leaving_count_in_pairs(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("got 2 months of venlafaxine in one go and i'm home alone", True),
        ("bought a length of rope today and i don't even have a boat", True),
        ("i have the hosepipe ready in the boot", True),
        ("the urge to go back to the viaduct is strong tonight", True),
        ("five years clean of cutting, today i bought razor blades", True),
        # ordinary reasons: work, a dose question, giving them back, not wanting them at home
        ("pharmacist here, a customer keeps buying 3 packs of paracetamol, what do we do", False),
        ("how many ibuprofen can you take in a day for a bad back", False),
        ("found boxes of my late mum's pills, who takes those back", False),
        ("got a months supply of sertraline but i'd rather not have that many in the house", False),
        ("my prescription is ready to collect, can someone pick it up", False),
        ("my husband is starting on new tablets for his heart", False),
    ],
)
def test_means_within_reach_reads_new_medicines_amounts_and_guards(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("i keep thinking about not existing", True),
        ("nobody will have to deal with me again after friday", True),
        ("time to put myself out of my misery", True),
        ("i don't see myself still being around by easter", True),
        ("i don't see myself still being here in this job by easter", False),
        ("what's the point of living any more", True),
        ("what's the point of the gym if nothing changes", False),
        ("i don't know why i'm still alive tbh", True),
        ("why am i still here at 8pm, this office", False),
        ("planning my exit, it won't be long", True),
        ("planning my exit interview", False),
        ("i should have finished it when i tried before", True),
        ("i wish i had taken more photos", False),
        ("if i didn't wake up tomorrow i'd be relieved", True),
    ],
)
def test_indirect_euphemisms_of_ending_a_life(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("my dad says nobody would miss him", True),
        ("my gran wishes she wouldn't wake up", True),
        ("my nan keeps talking about being with my grandad again", True),
        ("my mum has stopped taking her insulin on purpose", True),
        ("my sister stopped eating meat on purpose", False),
        ("found fresh cuts on my daughter's arms", True),
        ("my mate is going round to batter his ex's new boyfriend", True),
        ("the little ones next door have been left on their own all weekend", True),
        ("he took her phone and is controlling her", True),
        ("someone took my phone on the train", False),
    ],
)
def test_third_person_danger_classes(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("his dad shakes him when he won't stop crying", True),
        ("the toddler next door keeps getting hit, i hear it", True),
        ("my son keeps getting hurt at football", False),
        ("my brother comes into my room at night and touches me, i'm 12", True),
        ("my ex follows me home from work", True),
        ("she follows me on instagram", False),
        ("he gave me a black eye", True),
        ("he has a black eye from boxing", False),
        ("scared of my boyfriend", True),
        ("scared of my mum finding out", False),
        ("i get urges to hurt people", True),
        ("i keep picturing holding a pillow over her face", True),
        ("if he turns up i'll do him with the hammer", True),
        ("i punch doors and myself when i'm angry", True),
    ],
)
def test_harm_abuse_and_child_classes(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("feel sucidle", " feel suicidal "),
        ("suiside thoughts", " suicide thoughts "),
        ("gonna sewer slide", " going to suicide "),
        ("idk if i can make it thru tn tbh", " i do not know if i can make it through tonight . "),
        ("my lil sis", " my little sister "),
        # real words that look like the word are never read as it
        ("i sussed it", " i sussed it "),
        ("they succeed", " they succeed "),
    ],
)
def test_spellings_more_than_one_slip_away_and_text_speak(written: str, read: str) -> None:
    assert normalise(written) == read


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("kms this essay is due at 9", False),
        ("kms if this train is late again lol", False),
        ("wanna die fr", True),
        ("wanna unalive fr", True),
        ("i'd kill for a lie in", False),
    ],
)
def test_text_speak_hedges_and_chores(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        # one list of what going on living is, shared by "no point", "tired of", "done with"
        ("i see no reason to keep living", True),
        ("had enough of being here", True),
        ("done with waking up every day", True),
        ("sick of being here at work till 8", False),
        ("no point carrying on with the course", False),
        ("there's no point going on about it", False),
        # "never" before how strong a feeling is, not a denial
        ("never been this desperate to die", True),
        ("never been this happy", False),
    ],
)
def test_going_on_living_is_one_list_and_never_can_intensify(text: str, urgent: bool) -> None:
    assert screen(text).is_urgent is urgent
