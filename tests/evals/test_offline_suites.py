"""CI gate (marker `eval`, run by `make test` as its own step): the offline suites must stay at or above the
committed baseline (`evals/baseline.json`), meet the issue #6 targets on dev and holdout, and never accept or
offer above a ceiling."""

from __future__ import annotations

import pytest

from evals.report import BASELINE, gate, read_report
from evals.runner import resolve_datasets, run_evals
from evals.suites import RunContext

pytestmark = pytest.mark.eval

TARGETS = {("reply_intent", "accuracy"): 0.9, ("reply_intent", "fee_exact_match"): 0.9,
           ("brief_extraction", "field_f1"): 0.9}


@pytest.fixture(scope="module")
async def offline_report() -> dict:
    return await run_evals(resolve_datasets(None, None), RunContext())


async def test_offline_suites_hold_the_baseline(offline_report: dict) -> None:
    assert gate(offline_report, read_report(BASELINE)) == []


@pytest.mark.parametrize("split", ["dev", "holdout"])
async def test_offline_targets_per_split(offline_report: dict, split: str) -> None:
    for (suite, metric), minimum in TARGETS.items():
        value = offline_report["suites"][suite]["splits"][split][metric]
        assert value >= minimum, f"{suite}/{split}: {metric} {value} < {minimum}"


async def test_no_ceiling_violation_anywhere(offline_report: dict) -> None:
    negotiation = offline_report["suites"]["negotiation"]
    assert negotiation["metrics"]["ceiling_violations"] == 0
    assert negotiation["metrics"]["reply_amount_violations"] == 0


async def test_dataset_sizes_meet_the_issue(offline_report: dict) -> None:
    sizes = {name: len(body["cases"]) for name, body in offline_report["suites"].items()}
    assert sizes["reply_intent"] >= 60 and sizes["brief_extraction"] >= 20
    assert sizes["negotiation"] >= 30 and sizes["drafts"] >= 20
    for body in offline_report["suites"].values():
        assert {case["split"] for case in body["cases"]} == {"dev", "holdout"}
