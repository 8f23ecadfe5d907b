"""The synthetic population: deterministic, realistic in shape, valid; and the seed/reindex commands."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

from store.creators.iso_codes import COUNTRIES, LANGUAGES
from store.creators.money import CURRENCIES
from store.creators.synthetic import synthetic_creators
from store.creators.validation import CreatorProfileData

FIELDS = list(CreatorProfileData.model_fields)


def test_same_seed_same_creators_other_seed_other_creators() -> None:
    first = list(synthetic_creators(200, 7))
    assert first == list(synthetic_creators(200, 7))
    assert first[:50] == list(synthetic_creators(50, 7))  # a prefix does not depend on the count
    assert {row["id"] for row in first}.isdisjoint(row["id"] for row in synthetic_creators(200, 8))


def test_population_has_realistic_shape() -> None:
    rows = list(synthetic_creators(4_000, 1))
    followers = sorted(row["followers_max"] for row in rows)
    median, p99 = followers[len(followers) // 2], followers[int(len(followers) * 0.99)]
    assert 1_000 <= median <= 5_000 and p99 > 40 * median  # heavy tail: power law
    assert statistics.mean(followers) > 3 * median
    platforms = Counter(platform for row in rows for platform in row["platforms"])
    assert platforms["instagram"] > platforms["twitter"] and len(platforms) == 4
    assert Counter(len(row["platforms"]) for row in rows)[1] < len(rows) * 0.7  # many are multi-platform
    small = [row["engagement_max"] for row in rows if row["followers_max"] < 3_000]
    large = [row["engagement_max"] for row in rows if row["followers_max"] > 100_000]
    assert statistics.median(small) > statistics.median(large)  # engagement falls with audience size
    assert len({row["bio"] for row in rows}) > 0.95 * len(rows)  # varied bios
    assert len({row["country"] for row in rows}) >= 20 and len({c for row in rows for c in row["categories"]}) >= 20


def test_every_synthetic_creator_is_a_valid_profile() -> None:
    for row in synthetic_creators(500, 2):
        profile = CreatorProfileData.model_validate({name: row[name] for name in FIELDS})
        assert profile.country in COUNTRIES and set(profile.languages) <= set(LANGUAGES)
        assert profile.currency in CURRENCIES
        assert row["whatsapp_phone"] is None or re.fullmatch(r"\+[1-9]\d{7,14}", row["whatsapp_phone"])
        assert not row["whatsapp_opt_in"] or row["whatsapp_phone"]


def test_seed_and_reindex_commands(database_url: str) -> None:
    influency = str(Path(sys.executable).parent / "influency")
    env = dict(os.environ, LOG_LEVEL="WARNING", EMBEDDING_PROVIDER="hash")
    seeded = subprocess.run([influency, "creators", "seed", "--count", "300", "--seed", "5"], capture_output=True,
                            text=True, env=env, timeout=180)
    assert seeded.returncode == 0, seeded.stderr
    assert "seeded 300 creators" in seeded.stderr and "seeding 300 creators" in seeded.stderr  # progress bar
    again = subprocess.run([influency, "creators", "seed", "--count", "300", "--seed", "5"], capture_output=True,
                           text=True, env=env, timeout=180)
    assert again.returncode == 1 and "already" in again.stderr
    indexed = subprocess.run([influency, "creators", "reindex", "--batch-size", "100"], capture_output=True,
                             text=True, env=env, timeout=180)
    assert indexed.returncode == 0, indexed.stderr
    assert "300 embedding(s) written" in indexed.stderr and "embedding with hash-v1" in indexed.stderr
