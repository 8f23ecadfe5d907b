"""reply_intent: intent accuracy, per-class precision/recall, fee exact-match (fee and currency, over the cases
where a fee is expected or predicted), out-of-office return dates; the same per language (`lang` of the case) and
for WhatsApp-style texts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.tasks.replies import classify_reply
from evals.cases import Case, CaseResult
from evals.metrics import per_class, ratio
from evals.suites.base import Suite


def _same_fee(expected: Any, predicted: Any) -> bool:
    if expected is None or predicted is None:
        return expected is None and predicted is None
    return Decimal(str(expected)) == Decimal(str(predicted))  # exact to the cent: fees are never floats


class ReplyIntentSuite(Suite):
    name = "reply_intent"
    headline = ("accuracy", "fee_exact_match", "min_language_accuracy")

    async def run_case(self, case: Case) -> CaseResult:
        timed = await self.timed(classify_reply(case.data.get("reply") or "", case.data["channel"], self.ctx.model,
                                                today=self.today(case), prompt_version=self.ctx.prompt_version))
        value = timed.produced[0].value
        expected = case.expected
        predicted = {"intent": value.intent, "proposed_fee": value.proposed_fee, "currency": value.currency,
                     "return_date": value.return_date.isoformat() if value.return_date else None}
        fee_ok = _same_fee(expected.get("proposed_fee"), value.proposed_fee) and (
            expected.get("currency") == value.currency)
        date_ok = "return_date" not in expected or expected["return_date"] == predicted["return_date"]
        intent_ok = value.intent == expected.get("intent")
        return self.result(case, timed, predicted, intent_ok and fee_ok and date_ok, intent_ok=intent_ok,
                           fee_ok=fee_ok, date_ok=date_ok, summary=value.summary, lang=case.data.get("lang", "en"),
                           channel=case.data["channel"])

    def metrics(self, results: list[CaseResult]) -> dict[str, Any]:
        languages = sorted({str(r.details.get("lang", "en")) for r in results})
        whatsapp = [r for r in results if r.details.get("channel") == "whatsapp"]
        return self._scores(results) | {
            "whatsapp_accuracy": ratio(sum(r.details.get("intent_ok", False) for r in whatsapp), len(whatsapp)),
            "min_language_accuracy": min((self._scores([r for r in results if r.details.get("lang", "en") == code]
                                                       )["accuracy"] or 0.0 for code in languages), default=None),
            "per_language": {code: {k: v for k, v in self._scores(
                [r for r in results if r.details.get("lang", "en") == code]).items() if k != "per_class"}
                for code in languages},
        }

    @staticmethod
    def _scores(results: list[CaseResult]) -> dict[str, Any]:
        fee_cases = [r for r in results if r.expected.get("proposed_fee") is not None
                     or r.predicted.get("proposed_fee") is not None]
        dated = [r for r in results if "return_date" in r.expected]
        return {
            "accuracy": ratio(sum(r.details.get("intent_ok", False) for r in results), len(results)),
            "fee_exact_match": ratio(sum(r.details.get("fee_ok", False) for r in fee_cases), len(fee_cases)),
            "fee_cases": len(fee_cases),
            "return_date_match": ratio(sum(r.details.get("date_ok", False) for r in dated), len(dated)),
            "cases": len(results),
            "per_class": per_class([(str(r.expected.get("intent")), str(r.predicted["intent"])) for r in results]),
        }
