"""Scoring helpers shared by the suites: accuracy, per-class precision/recall, micro F1 over fields, latency and
token totals."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from evals.cases import CaseResult


def ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def per_class(pairs: Sequence[tuple[str, str]]) -> dict[str, dict[str, float | int | None]]:
    """(expected, predicted) labels → precision, recall and support per class."""
    labels = sorted({label for pair in pairs for label in pair})
    table: dict[str, dict[str, float | int | None]] = {}
    for label in labels:
        tp = sum(1 for e, p in pairs if e == label and p == label)
        predicted = sum(1 for _, p in pairs if p == label)
        support = sum(1 for e, _ in pairs if e == label)
        table[label] = {"precision": ratio(tp, predicted), "recall": ratio(tp, support), "support": support}
    return table


def f1(tp: int, fp: int, fn: int) -> float | None:
    if tp + fp + fn == 0:
        return None
    return round(2 * tp / (2 * tp + fp + fn), 4)


def field_counts(expected: Any, predicted: Any) -> tuple[int, int, int]:
    """tp, fp, fn of one field: lists compare as sets; scalars as values (None = not stated)."""
    if isinstance(expected, list) or isinstance(predicted, list):
        want, got = set(expected or []), set(predicted or [])
        return len(want & got), len(got - want), len(want - got)
    if expected is None and predicted is None:
        return 0, 0, 0
    if expected == predicted:
        return 1, 0, 0
    return 0, int(predicted is not None), int(expected is not None)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)], 2)


def run_costs(results: Iterable[CaseResult]) -> dict[str, Any]:
    """Latency and tokens (tokens only when the model reported usage), and how often a model call fell back."""
    items = list(results)
    latencies = [r.latency_ms for r in items]
    inputs = [r.input_tokens for r in items if r.input_tokens is not None]
    outputs = [r.output_tokens for r in items if r.output_tokens is not None]
    costs: dict[str, Any] = {"latency_ms_mean": round(sum(latencies) / len(latencies), 2) if latencies else None,
                             "latency_ms_p95": percentile(latencies, 0.95)}
    if inputs or outputs:
        costs.update(input_tokens=sum(inputs), output_tokens=sum(outputs))
    fallbacks = sum(1 for r in items if r.details.get("fallback"))
    if fallbacks:
        costs["model_fallbacks"] = fallbacks
    return costs
