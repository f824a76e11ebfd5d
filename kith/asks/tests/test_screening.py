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
# negation...). The held-out part was written first, its checksum recorded in
# docs/benchmarks.md, and never used to tune; it must not change.
CLASS_TUNING = labelled("screening-classes-tuning.csv")
CLASS_HELD_OUT_FILE = DATA / "screening-classes-heldout.csv"
CLASS_HELD_OUT = labelled(CLASS_HELD_OUT_FILE.name)
CLASS_HELD_OUT_SHA256 = "ee5df62478a1c1515db4cbb3f461cfc8fa8bb1628cb128e4d7c3ad58891700d1"
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
    for rows in (CLASS_TUNING, CLASS_HELD_OUT):
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


def test_the_class_held_out_set_is_unchanged() -> None:
    # given the checksum recorded before the screener was first run on it
    # then the file is byte for byte what was measured
    digest = hashlib.sha256(CLASS_HELD_OUT_FILE.read_bytes()).hexdigest()
    assert digest == CLASS_HELD_OUT_SHA256


@pytest.mark.parametrize("row", CLASS_TUNING, ids=lambda row: row["text"][:60])
def test_every_class_tuning_statement_is_screened_as_labelled(row: dict[str, str]) -> None:
    # given a labelled statement from the class tuning set
    # when it is screened
    result = screen(row["text"])
    # then urgency matches the label
    assert result.is_urgent is (row["is_urgent"] == "1")


def test_class_held_out_recall_and_false_positive_rate_stay_at_the_measured_floor() -> None:
    # given the 302 class held-out statements (156 urgent, 146 not), never used to tune
    urgent = [row for row in CLASS_HELD_OUT if row["is_urgent"] == "1"]
    calm = [row for row in CLASS_HELD_OUT if row["is_urgent"] == "0"]
    # when they are screened
    found = sum(screen(row["text"]).is_urgent for row in urgent)
    false_alarms = sum(screen(row["text"]).is_urgent for row in calm)
    # then recall and false alarms are no worse than measured on 2026-12-07. The target was
    # recall 1.0 and at most 3% false alarms; this is the measured floor, NOT the target:
    # 137/156 = 0.88 found, 3/146 = 0.02 false alarms (the 19 misses are listed, with why, in
    # docs/benchmarks.md). Raise the floor when a class fix finds more; never tune on this set.
    assert (len(urgent), len(calm)) == (156, 146)
    assert found >= 137
    assert false_alarms <= 3


def test_held_out_recall_and_false_positive_rate() -> None:
    # given the 40 held-out statements, never used while tuning
    # when they are screened
    recall, false_positive_rate = rates(HELD_OUT)
    # then recall is at least 0.9 and the false-positive rate at most 0.1 (measured: 0.95, 0.0)
    assert recall >= 0.9
    assert false_positive_rate <= 0.1
    assert (recall, false_positive_rate) == (0.95, 0.0)


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
