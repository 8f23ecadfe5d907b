"""The cue tables' one-pattern form (`reply_cues.alternation`) finds exactly what joining the phrases did: the same
matches, at the same places, with the same groups, on every reply of the eval datasets (their own words, folded
as the rules read them)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agents.tasks import reply_cues as cues
from agents.tasks.text import fold

DATASETS = Path(__file__).resolve().parents[1] / "evals" / "datasets"
TABLES = {"opt_out": cues.OPT_OUT, "out_of_office": cues.OUT_OF_OFFICE, "declined": cues.DECLINED,
          "interested": cues.INTERESTED, "question": cues.QUESTION}


def _replies() -> list[str]:
    texts = []
    for name in ("reply_intent.jsonl", "reply_intent_holdout.jsonl"):
        for line in (DATASETS / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(fold(json.loads(line)["reply"]))
    return texts + ["stop", "STOP pls", "  nope. thanks", "bitte nicht mehr kontaktieren", "remove me from your list"]


@pytest.mark.parametrize("name", TABLES)
def test_the_alternation_matches_what_the_joined_phrases_matched(name: str) -> None:
    phrases = cues.branches(TABLES[name])
    joined = re.compile("|".join(f"(?:{p})" for p in phrases), re.I | re.M)
    grouped = re.compile(cues.alternation(phrases), re.I | re.M)
    assert grouped.pattern.count(r"\b(?:") >= 1  # the boundary was lifted out of a run of branches
    for text in _replies():
        assert [(m.span(), m.groups()) for m in grouped.finditer(text)] == \
            [(m.span(), m.groups()) for m in joined.finditer(text)], text


@pytest.mark.parametrize(("pattern", "bar"), [
    (r"\bfoo\b", False), (r"\bfoo|bar", True), (r"\b(foo|bar)\b", False), (r"\b[|(]foo", False),
    (r"\b\(foo|bar", True), (r"\b[]|]x", False), (r"\b[^]|]x", False), (r"\b(?:a(b|c))d", False)])
def test_a_branch_with_its_own_top_level_alternation_keeps_its_boundary(pattern: str, bar: bool) -> None:
    assert cues._top_level_bar(pattern) is bar
    assert (cues.alternation([pattern]) == rf"(?:{pattern})") is bar
