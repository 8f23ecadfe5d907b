"""report.json on disk, case-by-case comparison of two reports, and the CI gate against the committed baseline
(`evals/baseline.json`: per suite and split, the minimum of each headline metric; any ceiling violation fails)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.suites import SUITES

BASELINE = Path(__file__).resolve().parent / "baseline.json"
ZERO_METRICS = ("ceiling_violations", "reply_amount_violations", "unsafe_accepts")  # must be exactly 0


def write_report(report: dict[str, Any], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path


def add_token_cost(report: dict[str, Any], usd_per_million_input: float, usd_per_million_output: float) -> None:
    """`cost_usd` per suite from the token counts the model reported (prices are the caller's: they vary)."""
    for body in report["suites"].values():
        metrics = body["metrics"]
        if "input_tokens" in metrics or "output_tokens" in metrics:
            metrics["cost_usd"] = round(metrics.get("input_tokens", 0) * usd_per_million_input / 1e6
                                        + metrics.get("output_tokens", 0) * usd_per_million_output / 1e6, 6)


def read_report(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class SuiteDiff:
    suite: str
    metrics: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # (scope, metric, before, after)
    fixed: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _scalars(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metrics.items() if isinstance(v, int | float) or v is None}


def compare(before: dict[str, Any], after: dict[str, Any]) -> list[SuiteDiff]:
    """What got better and worse, suite by suite: changed metrics (overall and per split) and cases."""
    diffs = []
    for name in sorted(set(before.get("suites", {})) | set(after.get("suites", {}))):
        a, b = before.get("suites", {}).get(name, {}), after.get("suites", {}).get(name, {})
        diff = SuiteDiff(name)
        scopes = [("all", a.get("metrics", {}), b.get("metrics", {}))] + [
            (split, a.get("splits", {}).get(split, {}), b.get("splits", {}).get(split, {}))
            for split in sorted(set(a.get("splits", {})) | set(b.get("splits", {})))]
        for scope, old, new in scopes:
            old_s, new_s = _scalars(old), _scalars(new)
            for metric in sorted(set(old_s) | set(new_s)):
                if old_s.get(metric) != new_s.get(metric) and not metric.startswith("latency"):
                    diff.metrics.append((scope, metric, old_s.get(metric), new_s.get(metric)))
        old_cases = {c["id"]: c for c in a.get("cases", [])}
        new_cases = {c["id"]: c for c in b.get("cases", [])}
        for case_id in sorted(set(old_cases) & set(new_cases)):
            was, now = old_cases[case_id]["correct"], new_cases[case_id]["correct"]
            if was != now:
                (diff.fixed if now else diff.broken).append(case_id)
        diff.added = sorted(set(new_cases) - set(old_cases))
        diff.removed = sorted(set(old_cases) - set(new_cases))
        diffs.append(diff)
    return diffs


def baseline_from(report: dict[str, Any]) -> dict[str, Any]:
    """The baseline a report would set: headline metrics per suite, overall and per split."""
    suites = {}
    for name, body in report["suites"].items():
        keys = SUITES[name].headline + tuple(k for k in ZERO_METRICS if k in body["metrics"])
        suites[name] = {scope: {k: metrics.get(k) for k in keys if metrics.get(k) is not None}
                        for scope, metrics in [("all", body["metrics"]), *body["splits"].items()]}
    return {"suites": suites}


def gate(report: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """Failures: a headline metric below the baseline, or any ceiling / amount violation."""
    failures = []
    for name, scopes in baseline.get("suites", {}).items():
        body = report.get("suites", {}).get(name)
        if body is None:
            failures.append(f"{name}: not in the report")
            continue
        for scope, minimums in scopes.items():
            metrics = body["metrics"] if scope == "all" else body.get("splits", {}).get(scope, {})
            for metric, minimum in minimums.items():
                value = metrics.get(metric)
                if metric in ZERO_METRICS:
                    if value:
                        failures.append(f"{name}/{scope}: {metric} = {value} (must be 0)")
                elif value is None or value < minimum - 1e-9:
                    failures.append(f"{name}/{scope}: {metric} = {value} < baseline {minimum}")
    for name, body in report.get("suites", {}).items():
        for metric in ZERO_METRICS:
            if body["metrics"].get(metric):
                failures.append(f"{name}: {metric} = {body['metrics'][metric]} (must be 0)")
    return sorted(set(failures))
