"""Rich tables for `influency eval run` and `influency eval compare`."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from evals.report import SuiteDiff


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1 else f"{value:,.1f}"
    return str(value)


def suite_table(name: str, body: dict[str, Any]) -> Table:
    splits = sorted(body.get("splits", {}))
    table = Table(title=f"{name}", title_justify="left")
    table.add_column("metric")
    for column in ["all", *splits]:
        table.add_column(column, justify="right")
    overall = body["metrics"]
    for metric, value in overall.items():
        if isinstance(value, dict):
            continue
        table.add_row(metric, _fmt(value), *(_fmt(body["splits"][s].get(metric)) for s in splits))
    return table


def detail_table(name: str, body: dict[str, Any]) -> Table | None:
    """Per-class precision/recall, per-field F1 or rule failures, whichever the suite reports."""
    metrics = body["metrics"]
    if "per_class" in metrics:
        table = Table("class", "precision", "recall", "support", title=f"{name}: per class", title_justify="left")
        for label, row in metrics["per_class"].items():
            table.add_row(label, _fmt(row["precision"]), _fmt(row["recall"]), str(row["support"]))
        return table
    if "per_field_f1" in metrics:
        table = Table("field", "F1", title=f"{name}: per field", title_justify="left")
        for field, value in metrics["per_field_f1"].items():
            table.add_row(field, _fmt(value))
        return table
    if metrics.get("rule_failures"):
        table = Table("rule", "failing cases", title=f"{name}: rubric failures", title_justify="left")
        for rule, count in metrics["rule_failures"].items():
            table.add_row(rule, str(count))
        return table
    return None


def language_table(name: str, body: dict[str, Any]) -> Table | None:
    """Per-language figures (suites that report them): accuracy, fee exact-match, cases, per split."""
    splits = {split: metrics.get("per_language", {}) for split, metrics in body.get("splits", {}).items()}
    overall = body["metrics"].get("per_language")
    if not overall:
        return None
    table = Table("language", "cases", "accuracy", *(f"{s} accuracy" for s in splits), "fee exact-match",
                  title=f"{name}: per language", title_justify="left")
    for code, row in overall.items():
        table.add_row(code, str(row.get("cases")), _fmt(row.get("accuracy")),
                      *(_fmt(per.get(code, {}).get("accuracy")) for per in splits.values()),
                      _fmt(row.get("fee_exact_match")))
    return table


def failures_table(name: str, body: dict[str, Any], limit: int = 15) -> Table | None:
    wrong = [case for case in body["cases"] if not case["correct"]]
    if not wrong:
        return None
    table = Table("id", "split", "expected", "predicted", title=f"{name}: incorrect cases ({len(wrong)})",
                  title_justify="left")
    for case in wrong[:limit]:
        predicted = {k: v for k, v in case["predicted"].items() if k not in ("body_text", "subject", "judge_reasons")}
        table.add_row(case["id"], case["split"], _fmt(case["expected"]), _fmt(predicted))
    return table


def compare_table(diff: SuiteDiff) -> Table:
    table = Table("scope", "metric", "before", "after", "change", title=diff.suite, title_justify="left")
    for scope, metric, before, after in diff.metrics:
        change = ""
        if isinstance(before, int | float) and isinstance(after, int | float):
            delta = after - before
            better = delta < 0 if "violation" in metric or metric.endswith("fallbacks") else delta > 0
            change = f"[{'green' if better else 'red'}]{delta:+.4g}[/]"
        table.add_row(scope, metric, _fmt(before), _fmt(after), change)
    return table
