"""CI gate (marker `eval`) for reply understanding, brief extraction and negotiation (issue #14), on the held-out
split of the offline provider: intent and fee targets overall and per language, refusal and opt-out recall, brief
field F1 and fully right briefs, no unsafe accept, no offer above a ceiling; and the datasets' size and mix
(languages, WhatsApp-style texts)."""

from __future__ import annotations

import pytest

from evals.runner import resolve_datasets, run_evals
from evals.suites import RunContext

pytestmark = pytest.mark.eval


@pytest.fixture(scope="module")
async def report() -> dict:
    return await run_evals(resolve_datasets(["reply_intent", "negotiation", "brief_extraction"], None), RunContext())


async def test_reply_intent_holdout_targets(report: dict) -> None:
    holdout = report["suites"]["reply_intent"]["splits"]["holdout"]
    assert holdout["accuracy"] >= 0.92
    assert holdout["fee_exact_match"] >= 0.92
    for language, scores in holdout["per_language"].items():
        assert scores["accuracy"] >= 0.88, f"{language}: {scores}"
    assert holdout["per_class"]["unsubscribe"]["recall"] >= 0.95
    assert holdout["per_class"]["declined"]["recall"] >= 0.95


async def test_brief_extraction_holdout_targets(report: dict) -> None:
    holdout = report["suites"]["brief_extraction"]["splits"]["holdout"]
    assert holdout["field_f1"] >= 0.97 and holdout["accuracy"] >= 0.85


async def test_negotiation_is_never_unsafe(report: dict) -> None:
    for scope in [report["suites"]["negotiation"]["metrics"], *report["suites"]["negotiation"]["splits"].values()]:
        assert scope["unsafe_accepts"] == 0 and scope["ceiling_violations"] == 0
        assert scope["reply_amount_violations"] == 0
    assert report["suites"]["negotiation"]["splits"]["holdout"]["terms"] >= 0.9


async def test_dataset_mix(report: dict) -> None:
    cases = report["suites"]["reply_intent"]["cases"]
    assert len(cases) >= 300
    assert sum(c["details"].get("lang", "en") != "en" for c in cases) >= 0.4 * len(cases)
    assert sum(c["details"].get("channel") == "whatsapp" for c in cases) >= 0.25 * len(cases)
    assert len({c["details"].get("lang", "en") for c in cases if c["split"] == "holdout"}) >= 10
    negotiation = report["suites"]["negotiation"]["cases"]
    assert len(negotiation) >= 60 and sum("terms" in c["predicted"] for c in negotiation) >= 30
