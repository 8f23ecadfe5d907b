"""brief_extraction: every message of a case applied in order through `extract_brief`; field-level micro F1 over
the graded fields (lists compared as sets, scalars as values), per-field F1, and exact cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.tasks.brief import extract_brief
from agents.tasks.types import CampaignBrief, Produced
from evals.cases import Case, CaseResult
from evals.metrics import f1, field_counts, ratio
from evals.suites.base import Suite, Timed
from store.campaigns.brief import MONEY_FIELDS

GRADED = ("budget", "currency", "platforms", "categories", "countries", "min_followers", "max_followers",
          "start_date", "end_date", "fee_ceiling", "fee_target")


class BriefExtractionSuite(Suite):
    name = "brief_extraction"
    headline = ("field_f1", "accuracy")

    async def run_case(self, case: Case) -> CaseResult:
        brief = CampaignBrief()
        produced: list[Produced[Any]] = []
        latency = 0.0
        for message in case.data["messages"]:
            step = await self.timed(extract_brief(message, brief, self.ctx.model, today=self.today(case),
                                                  prompt_version=self.ctx.prompt_version))
            produced += step.produced
            latency += step.latency_ms
            brief = step.produced[0].value.brief
        dumped = brief.model_dump(mode="json")
        fields = [name for name in GRADED if name in case.expected]
        predicted = {name: dumped[name] for name in fields}
        counts = {name: field_counts(_norm(name, case.expected[name]), _norm(name, predicted[name])) for name in fields}
        correct = all(fp == 0 and fn == 0 for _, fp, fn in counts.values())
        return self.result(case, Timed(produced, latency), predicted, correct, counts=counts,
                           notes=[note for p in produced for note in p.notes])

    def metrics(self, results: list[CaseResult]) -> dict[str, Any]:
        totals = {name: [0, 0, 0] for name in GRADED}
        for result in results:
            for name, counts in result.details.get("counts", {}).items():
                totals[name] = [a + b for a, b in zip(totals[name], counts, strict=True)]
        tp, fp, fn = (sum(t[i] for t in totals.values()) for i in range(3))
        return {"field_f1": f1(tp, fp, fn), "accuracy": ratio(sum(r.correct for r in results), len(results)),
                "cases": len(results), "per_field_f1": {name: f1(*t) for name, t in totals.items()}}


def _norm(name: str, value: Any) -> Any:
    """Amounts compare as exact decimals (the brief stores "20000", a case may say 20000); counts as numbers."""
    if value is None or isinstance(value, bool):
        return value
    if name in MONEY_FIELDS:
        return Decimal(repr(value) if isinstance(value, float) else str(value))
    return float(value) if isinstance(value, int | float) else value
