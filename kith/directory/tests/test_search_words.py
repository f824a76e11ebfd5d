"""Search on real listings, in people's own words (issue 11): the everyday layer adds to the
words and never takes them away; only words that are not English are corrected, the same way in
every process; stems that would change a word's meaning stay apart; editors can see why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.test import Client

from kith.core.testing import html
from kith.directory.models import Service
from kith.directory.search import (
    SearchQuery,
    SearchResults,
    index_services,
    indexing,
    search_services,
    text,
)
from kith.directory.search.text import correct
from kith.directory.search.types import MatchedWord
from kith.directory.search.vocabulary import current_vocabulary
from kith.directory.services.curation import editor_add
from kith.directory.tests.factories import ServiceAtLocationFactory, tag_support_types

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def listing(name: str, description: str = "", codes: tuple[str, ...] = ()) -> Service:
    """A listing as imported from a council feed: no Kith support types unless given."""
    sal = ServiceAtLocationFactory.create(
        service__name=name,
        service__description=description,
        location__latitude=51.45,
        location__longitude=-2.59,
    )
    tag_support_types(sal.service, *codes)
    return sal.service


def names(results: SearchResults) -> list[str]:
    return [hit.service.name for hit in results.hits]


@pytest.fixture
def real_directory() -> None:
    """Listings written the way councils write them, none with a Kith support type."""
    listing("Memory Cafe", "A friendly afternoon for people living with dementia.")
    listing("Carers Centre", "Information and breaks for unpaid carers.")
    listing("Nightstop", "Emergency accommodation for young people who are homeless.")
    listing("Suicide Prevention Line", "Talk to us if you have thoughts of suicide.")
    listing("Marmalade Trust", "Tackling loneliness and isolation in the city.")
    listing("Hard of Hearing Centre", "Hearing loss advice and hearing aid repairs.")
    listing("Voices Group", "A peer group for people who hear voices.")
    listing("Stone Temple", "Worship and prayer.")
    listing("Tight Knit", "Knitting and crochet.")
    listing("Descent Climbing Wall", "Bouldering for all.")
    listing("Rape Support Centre", "Support after sexual violence.")
    index_services()


# --- 1. The everyday layer adds to the words ---------------------------------------------------


@pytest.mark.parametrize(
    ("need", "expected_first"),
    [
        ("I've got nowhere to stay", "Nightstop"),
        ("i want to kill myself", "Suicide Prevention Line"),
        ("lonley and fed up", "Marmalade Trust"),
    ],
)
def test_given_listings_without_support_types_when_a_need_infers_a_type_then_words_find_them(
    real_directory: None, need: str, expected_first: str
) -> None:
    # when
    results = search_services(SearchQuery(text=need))
    # then the listing is found by its words, first
    assert names(results)[0] == expected_first
    assert results.interpretation.support_types  # a type was inferred, and nobody carries it


def test_given_an_inferred_type_when_searching_then_the_persons_words_are_kept(
    real_directory: None,
) -> None:
    # when ("mum" infers carers, whose listing words the layer adds; "dementia" is the person's)
    results = search_services(SearchQuery(text="my mum's dementia is getting worse"))
    # then both are searched for: the person's word and the added one
    assert "dementia" in results.interpretation.understood_words
    assert "carer" in results.interpretation.added_words
    assert sorted(names(results)[:2]) == ["Carers Centre", "Memory Cafe"]


# --- 2. Typos: only words that are not English, the same in every process ---------------------


@pytest.mark.parametrize(
    "need",
    ["can't control my temper", "nowhere to go tonight", "a decent place to live"],
)
def test_given_a_real_word_near_a_listing_word_when_searching_then_it_is_not_corrected(
    real_directory: None, need: str
) -> None:
    # given "temple", "tight" and "descent" in listings, one or two letters away
    # when
    results = search_services(SearchQuery(text=need))
    # then
    assert results.interpretation.corrected_text is None
    assert not {"Stone Temple", "Tight Knit", "Descent Climbing Wall"} & set(names(results))


def test_given_a_word_that_is_not_english_when_searching_then_it_is_corrected(
    real_directory: None,
) -> None:
    results = search_services(SearchQuery(text="suicde"))
    assert results.interpretation.corrected_text == "suicide"
    assert names(results) == ["Suicide Prevention Line"]


def test_given_two_equally_near_words_when_correcting_then_the_choice_ignores_their_order() -> None:
    # given "angery" one letter from both "anger" and "angry"
    forwards = {"anger": "anger", "angry": "angri"}
    backwards = {"angry": "angri", "anger": "anger"}
    # then the word more listings carry wins, whatever the order
    counts = {"anger": 1, "angri": 5}
    assert correct("angery", forwards, counts) == correct("angery", backwards, counts) == "angry"
    # and with equal counts, the alphabetically first
    assert correct("angery", backwards, {}) == correct("angery", forwards, {}) == "anger"


HASH_SEED_SCRIPT = """
import json, time
import django
django.setup()
from kith.directory.search import engine, text, vocabulary
listing_words = ["anger", "angry", "cares", "carers", "fired", "tired", "homeless", "homes",
                 "suicide", "gambling", "debt", "temple", "tight", "descent", "growing"]
# The vocabulary as current_vocabulary builds it: the everyday words first (a frozenset, in
# this process's hash order), then the index's words.
known = {word: text.stem(word) for word in text.everyday_words()}
known.update({word: text.stem(word) for word in listing_words})
counts = {stem: 1 for stem in known.values()}
vocabulary._vocabulary_cache = vocabulary.Vocabulary(counts, known, 15, time.monotonic(), "x")
needs = ["angery and tirred", "carres for my mum", "homles", "sucide", "gamblng", "temper",
         "drowning in debt", "worryed", "parnet", "lonly"]
out = {}
for need in needs:
    understood = engine.understand(need)
    out[need] = [understood.corrected_text, understood.stems, understood.support_types]
print(json.dumps(out, sort_keys=True))
"""


def test_given_several_hash_seeds_when_the_same_needs_are_understood_then_results_are_identical() -> (
    None
):
    # when the same needs are understood in processes with different PYTHONHASHSEED values
    outputs = []
    for seed in ("0", "1", "2", "3", "4"):
        env = os.environ | {
            "PYTHONHASHSEED": seed,
            "DJANGO_SETTINGS_MODULE": "kith.config.settings.test",
        }
        done = subprocess.run(  # noqa: S603 - this interpreter, our own script
            [sys.executable, "-c", HASH_SEED_SCRIPT],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    # then every process understood every need the same way
    assert all(output == outputs[0] for output in outputs)
    assert outputs[0]["temper"][0] is None  # and a real word was left alone


# --- 3. Stems that change meaning ---------------------------------------------------------------


def test_given_hearing_loss_listings_when_someone_hears_voices_then_they_are_not_found(
    real_directory: None,
) -> None:
    # when
    results = search_services(SearchQuery(text="I hear voices"))
    # then
    assert names(results)[0] == "Voices Group"
    assert "Hard of Hearing Centre" not in names(results)


def test_given_hearing_loss_listings_when_searching_hearing_loss_then_they_are_found(
    real_directory: None,
) -> None:
    assert names(search_services(SearchQuery(text="hearing loss")))[0] == "Hard of Hearing Centre"


def test_given_a_sexual_violence_listing_when_questioning_sexuality_then_it_is_not_found(
    real_directory: None,
) -> None:
    results = search_services(SearchQuery(text="questioning my sexuality"))
    assert "Rape Support Centre" not in names(results)


# --- 4. Why this result --------------------------------------------------------------------------


def test_given_explain_when_searching_then_each_hit_says_which_words_matched_where(
    real_directory: None,
) -> None:
    # when
    results = search_services(SearchQuery(text="dementia carers", explain=True))
    # then
    by_name = {hit.service.name: hit for hit in results.hits}
    carers, memory = by_name["Carers Centre"], by_name["Memory Cafe"]
    assert carers.explanation is not None
    assert carers.explanation.matched == [MatchedWord("carers", "name")]
    assert carers.explanation.found_by == "words"
    assert carers.explanation.rank_by_words == 1
    assert carers.explanation.blend == pytest.approx(carers.score, abs=1e-4)
    assert memory.explanation is not None
    assert memory.explanation.matched == [MatchedWord("dementia", "description")]


def test_given_an_added_word_when_explaining_then_it_is_marked_as_added(
    real_directory: None,
) -> None:
    results = search_services(SearchQuery(text="i want to kill myself", explain=True))
    first = results.hits[0]
    assert first.explanation is not None
    assert MatchedWord("suicide", "name", is_added=True) in first.explanation.matched


def test_given_no_explain_when_searching_then_hits_carry_no_explanation(
    real_directory: None,
) -> None:
    results = search_services(SearchQuery(text="dementia"))
    assert results.hits
    assert {hit.explanation for hit in results.hits} == {None}


def why_texts(response: object) -> list[str]:
    return [d.get_text(" ", strip=True) for d in html(response).select(".app-result__why")]


def test_given_a_directory_editor_when_asking_why_then_the_find_page_explains_each_result(
    real_directory: None, client: Client
) -> None:
    # given
    editor = editor_add(username="editor.ada", email="ada@example.com", password="x")
    client.force_login(cast(User, editor))
    # when
    response = client.get("/find/", {"q": "dementia", "explain": "1"})
    # then
    assert response.status_code == 200
    whys = why_texts(response)
    assert len(whys) == len(html(response).select(".app-result"))
    assert whys[0].startswith("Why this result Words: “dementia” in the description")
    assert "Open now: no" in whys[0]
    assert "Found by its words, place 1 by words alone" in whys[0]


@pytest.mark.parametrize("is_signed_in", [False, True])
def test_given_someone_not_an_editor_when_asking_why_then_nothing_is_explained(
    real_directory: None, client: Client, is_signed_in: bool
) -> None:
    # given a visitor, or a signed-in person who is not a directory editor
    if is_signed_in:
        client.force_login(get_user_model().objects.create_user(username="pat", password="x"))
    # when
    response = client.get("/find/", {"q": "dementia", "explain": "1"})
    # then
    assert response.status_code == 200
    assert html(response).select(".app-result")
    assert why_texts(response) == []


def test_given_an_index_built_before_the_stem_exceptions_when_searching_then_its_stems_are_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given an index built with plain Snowball stems ("hearing" stored as "hear"), as by an
    # older Kith, and not rebuilt since
    listing("Hard of Hearing Centre", "Hearing loss advice.")
    monkeypatch.setattr(text, "STEM_EXCEPTIONS", {})
    monkeypatch.setattr(indexing, "STEMS_VERSION", 0)
    text.stem.cache_clear()
    indexing._terms_of.cache_clear()
    index_services()
    monkeypatch.undo()
    text.stem.cache_clear()
    indexing._terms_of.cache_clear()
    # when
    results = search_services(SearchQuery(text="hearing loss"))
    # then the query is stemmed the way that index was
    assert names(results) == ["Hard of Hearing Centre"]
    # and once the index is rebuilt, with the exceptions
    index_services()
    assert current_vocabulary().stems_version == text.STEMS_VERSION
    assert names(search_services(SearchQuery(text="hearing loss"))) == ["Hard of Hearing Centre"]
    assert names(search_services(SearchQuery(text="hear"))) == []
