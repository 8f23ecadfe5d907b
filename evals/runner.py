"""Run suites over their datasets and build the report:
`{"run": {...}, "suites": {"<suite>": {"metrics": {...}, "splits": {"dev": {...}, "holdout": {...}},
"cases": [{"id", "split", "expected", "predicted", "correct", ...}]}}}`."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from agents.llm.factory import model_label
from agents.llm.prompts import list_prompts
from evals.cases import CaseResult, dataset_paths, load_cases, suite_of
from evals.metrics import run_costs
from evals.suites import SUITES, RunContext, Suite

Progress = Callable[[str, int, int], None]  # suite, cases done, cases total


class UnknownSuite(ValueError):
    pass


def resolve_datasets(suites: Sequence[str] | None, dataset: Path | None) -> dict[str, list[Path]]:
    """Which files each suite runs: one `dataset` (its suite from `suites` or its file name), or every suite's
    dev and holdout files."""
    if dataset is not None:
        name = suites[0] if suites else suite_of(dataset)
        if name not in SUITES:
            raise UnknownSuite(f"cannot tell the suite of {dataset}: pass --suite ({', '.join(SUITES)})")
        return {name: [dataset]}
    chosen = list(suites) if suites else list(SUITES)
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        raise UnknownSuite(f"unknown suite(s) {', '.join(unknown)}; known: {', '.join(SUITES)}")
    return {name: dataset_paths(name) for name in chosen}


def summarize(suite: Suite, results: list[CaseResult]) -> dict[str, Any]:
    splits = sorted({r.split for r in results})
    return {"metrics": suite.metrics(results) | run_costs(results),
            "splits": {split: suite.metrics([r for r in results if r.split == split]) for split in splits},
            "cases": [r.as_json() for r in results]}


async def run_evals(datasets: dict[str, list[Path]], ctx: RunContext, *, split: str | None = None,
                    progress: Progress | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    report: dict[str, Any] = {"run": {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "model": model_label(ctx.model),
        "judge": model_label(ctx.judge) if ctx.judge is not None else None,
        "prompt_versions": {pid: ctx.prompt_version or versions[-1] for pid, versions in list_prompts().items()}},
        "suites": {}}
    for name, paths in datasets.items():
        suite = SUITES[name](ctx)
        cases = [case for path in paths for case in load_cases(path) if split in (None, "all", case.split)]
        results: list[CaseResult] = []
        for index, case in enumerate(cases, start=1):
            results.append(await suite.run_case(case))
            if progress:
                progress(name, index, len(cases))
        report["suites"][name] = summarize(suite, results)
    report["run"]["duration_s"] = round(time.perf_counter() - started, 2)
    return report
