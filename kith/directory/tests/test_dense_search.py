"""Dense search (issue 11): the static embedding model, the services' meaning vectors, and their
fusion with the lexical search by reciprocal rank."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from django.db import transaction

from kith.directory.embedding import index as dense_index
from kith.directory.embedding.fusion import fuse
from kith.directory.embedding.model import MODEL_DIR, StaticModel, shipped_model
from kith.directory.models import Service, ServiceEmbedding
from kith.directory.search import SearchQuery, index_services, search_services
from kith.directory.services.embedding import services_embed
from kith.directory.services.indexing import services_reindex
from kith.directory.tests.factories import ServiceAtLocationFactory, tag_support_types

BRIXTON = (51.4613, -0.1156)
SENTENCES = ["I've got nowhere to sleep tonight", "Café crèche — naïve RÉSUMÉ!", "", "🙂"]


def listing(
    name: str, description: str = "", codes: tuple[str, ...] = (), **fields: Any
) -> Service:
    sal = ServiceAtLocationFactory.create(
        service__name=name,
        service__description=description,
        location__latitude=BRIXTON[0],
        location__longitude=BRIXTON[1],
        **{f"service__{k}": v for k, v in fields.items()},
    )
    tag_support_types(sal.service, *codes)
    return sal.service


def names(text: str, **query: Any) -> list[str]:
    return [hit.service.name for hit in search_services(SearchQuery(text=text, **query)).hits]


@pytest.fixture
def directory() -> dict[str, Service]:
    services = {
        "homeless": listing(
            "Harbour House",
            "Emergency accommodation and advice for people who are homeless.",
            is_free=False,
        ),
        "knit": listing("Purl Together", "A knitting and crochet circle, all abilities welcome."),
        "debt": listing("Money Matters", "Free debt advice and help with bills."),
        "grief": listing("Willow Circle", "Bereavement support for anyone grieving a death."),
        "tea": listing("Tuesday Tea Club", "A social group with tea and cake on Tuesdays."),
    }
    index_services()
    services_embed(None)
    return services


# --- the model ------------------------------------------------------------------------------


def test_given_the_shipped_model_when_loaded_then_it_has_its_vocabulary_and_256_dimensions() -> (
    None
):
    # given / when the model that ships with Kith
    model = StaticModel.load(MODEL_DIR)
    # then one float16 row of 256 per WordPiece token, and where it came from is recorded
    assert model.vectors.shape == (29525, 256)
    assert model.vectors.dtype == np.float16
    assert model.meta["source"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert model.meta["licence"] == "Apache-2.0"


def test_given_texts_when_embedded_twice_and_in_another_process_then_the_vectors_are_identical() -> (
    None
):
    # given some texts, with accents, punctuation, an empty one and one with no known token
    model = shipped_model()
    # when embedded twice here and once in a process with another hash seed
    first = model.encode(SENTENCES)
    again = model.encode(SENTENCES)
    code = (
        "import sys; from kith.directory.embedding.model import shipped_model; "
        f"sys.stdout.buffer.write(shipped_model().encode({SENTENCES!r}).tobytes())"
    )
    other = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code],
        env=os.environ | {"PYTHONHASHSEED": "123"},
        capture_output=True,
        check=True,
    ).stdout
    # then the bytes are the same; real text has length 1, text with no known token is all zeros
    assert first.tobytes() == again.tobytes() == other
    assert np.allclose(np.linalg.norm(first[:2], axis=1), 1.0, atol=1e-5)
    assert not first[2].any()
    assert not first[3].any()


def test_given_bert_tokenisation_when_words_are_split_then_accents_case_and_punctuation_follow_bert() -> (
    None
):
    # given the model's WordPiece vocabulary
    model = shipped_model()
    # when a text with capitals, accents and punctuation is tokenised
    tokens = [
        next(t for t, i in model.ids.items() if i == token_id)
        for token_id in model.token_ids("Homelessness, CAFÉ!")
    ]
    # then it is lower-cased, accents stripped, punctuation split off, long words in pieces
    assert tokens == ["homeless", "##ness", ",", "cafe", "!"]


# --- the services' vectors ------------------------------------------------------------------


@pytest.mark.django_db
def test_given_a_reindex_when_its_write_commits_then_the_services_are_embedded_in_the_background(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    # given dense search on, and a new listing
    settings.KITH_SEARCH_DENSE = True
    service = listing("Harbour House", "Emergency accommodation.")
    # when it is re-indexed in a transaction that commits (the test queue runs tasks at once)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services_reindex([service.id])
    # then its meaning vector is stored, for the shipped model
    stored = ServiceEmbedding.objects.get(service=service)
    assert stored.model == dense_index.model_key(shipped_model())
    assert len(bytes(stored.vector)) == 256 * 2


@pytest.mark.django_db
def test_given_embedded_services_when_one_changes_and_one_closes_then_only_those_vectors_change() -> (
    None
):
    # given two embedded listings
    kept = listing("Purl Together", "A knitting circle.")
    closing = listing("Money Matters", "Debt advice.")
    assert services_embed(None) == 2
    before = ServiceEmbedding.objects.get(service=kept).updated_at
    # when nothing changes, then nothing is written
    assert services_embed(None) == 0
    # when one is closed and the other's description changes
    Service.objects.filter(id=closing.id).update(status=Service.Status.DEFUNCT)
    Service.objects.filter(id=kept.id).update(description="A knitting and crochet circle.")
    written = services_embed([kept.id, closing.id])
    # then the changed one is embedded again and the closed one loses its vector
    assert written == 1
    assert ServiceEmbedding.objects.get(service=kept).updated_at > before
    assert not ServiceEmbedding.objects.filter(service=closing).exists()


# --- dense and hybrid search ----------------------------------------------------------------


@pytest.mark.django_db
def test_given_no_shared_word_when_searching_with_dense_on_then_the_listing_is_found_by_meaning(
    directory: dict[str, Service], settings: Any
) -> None:
    # given a homelessness listing that shares no word with the need, and no support types
    need = "need a bed for the night"
    settings.KITH_SEARCH_DENSE = False
    # when searched with the lexical search alone, then it is not found
    assert "Harbour House" not in names(need)
    # when searched with dense on
    settings.KITH_SEARCH_DENSE = True
    # then it comes first
    assert names(need)[0] == "Harbour House"


@pytest.mark.django_db
def test_given_a_filter_when_a_listing_is_found_only_by_meaning_then_the_filter_still_applies(
    directory: dict[str, Service], settings: Any
) -> None:
    # given dense search on, and the homelessness listing is not free
    settings.KITH_SEARCH_DENSE = True
    # when the need is searched for free services only
    found = names("need a bed for the night", is_free=True)
    # then the listing found by meaning is left out
    assert "Harbour House" not in found


@pytest.mark.django_db
def test_given_a_strong_lexical_match_when_fused_with_dense_then_it_stays_first(
    directory: dict[str, Service], settings: Any
) -> None:
    # given a listing whose name is exactly the words typed
    settings.KITH_SEARCH_DENSE = False
    assert names("tuesday tea club")[0] == "Tuesday Tea Club"
    # when the same words are searched with dense on
    settings.KITH_SEARCH_DENSE = True
    found = names("tuesday tea club")
    # then it is still first
    assert found[0] == "Tuesday Tea Club"


def test_given_any_two_rankings_when_fused_then_every_lexical_candidate_is_kept_within_twice_its_rank() -> (
    None
):
    # given many random lexical and dense rankings over shared and separate keys
    rng = random.Random(11)  # noqa: S311 - seeded test data, not security
    for _ in range(300):
        keys = list(range(60))
        lexical = rng.sample(keys, rng.randint(0, 30))
        dense = rng.sample(keys, rng.randint(0, 30))
        # when fused
        fused = [key for key, _ in fuse(lexical, dense)]
        # then nothing lexical is dropped, and lexical rank r ends at rank 2r or better
        assert set(lexical) <= set(fused)
        assert set(fused) == set(lexical) | set(dense)
        for rank, key in enumerate(lexical, start=1):
            assert fused.index(key) + 1 <= 2 * rank


def test_given_equal_scores_when_fused_then_the_lexical_order_breaks_the_tie() -> None:
    # given a key first in the lexical list and another first in the dense list
    # when fused
    fused = fuse(["lexical-first", "both"], ["dense-first", "both"])
    # then the key in both leads, and the tie between the two firsts goes to the words
    assert [key for key, _ in fused] == ["both", "lexical-first", "dense-first"]


@pytest.mark.django_db
def test_given_more_vectors_than_exact_search_takes_when_searching_then_the_graph_finds_the_same(
    directory: dict[str, Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the exact search's answer
    exact = dense_index.nearest_services("need a bed for the night", 3)
    # when the vectors are searched through the HNSW graph (usearch) instead
    monkeypatch.setattr(dense_index, "EXACT_UP_TO", 1)
    dense_index.forget_vectors()
    graph = dense_index.nearest_services("need a bed for the night", 3)
    dense_index.forget_vectors()
    # then it finds the same services, in the same order
    assert [service_id for service_id, _ in graph] == [service_id for service_id, _ in exact]
    assert exact[0][0] == directory["homeless"].id


@pytest.mark.django_db
def test_given_dense_search_off_when_a_write_commits_then_nothing_is_embedded(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    # given dense search off, and a new listing
    settings.KITH_SEARCH_DENSE = False
    service = listing("Harbour House", "Emergency accommodation.")
    # when it is re-indexed in a transaction that commits
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services_reindex([service.id])
    # then no vector is made
    assert not ServiceEmbedding.objects.exists()
