"""negotiation: the policy in code decides each case (accept / counter / decline / escalate, amount when the case
gives one); ceiling violations (anything accepted or offered above the ceiling or the budget left) must be zero.
The reply carrying the decision is drafted too (with the model when one is configured) and may name no other
amount."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.policy.negotiation import NegotiationState, decide, violates_limits
from agents.tasks.money import find_amounts
from agents.tasks.negotiation import draft_negotiation_reply
from agents.tasks.types import CampaignBrief, CreatorProfile
from evals.cases import Case, CaseResult
from evals.metrics import per_class, ratio
from evals.suites.base import Suite


def _exact(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


_PROFILE = CreatorProfile(creator_id="eval", display_name="Alex Morgan", first_name="Alex")


class NegotiationSuite(Suite):
    name = "negotiation"
    headline = ("accuracy",)

    async def run_case(self, case: Case) -> CaseResult:
        data = case.data
        state = NegotiationState(ask=_exact(data.get("ask")), ask_currency=data.get("ask_currency"),
                                 currency=data.get("currency"), ceiling=_exact(data.get("ceiling")),
                                 target=_exact(data.get("target")), budget_left=_exact(data.get("budget_left")),
                                 round=int(data.get("round", 1)), max_rounds=int(data.get("max_rounds", 3)),
                                 last_offer=_exact(data.get("last_offer")))
        decision = decide(state)
        brief = CampaignBrief(product="Eval product", currency=state.currency, fee_ceiling=state.ceiling,
                              fee_target=state.target)
        timed = await self.timed(draft_negotiation_reply(
            decision, _PROFILE, brief, "email", creator_reply=str(data.get("creator_reply", "")),
            model=self.ctx.model, prompt_version=self.ctx.prompt_version))
        reply = timed.produced[0].value.body_text
        allowed = {decision.amount} if decision.action in ("accept", "counter") else set()
        stray = [a.text for a in find_amounts(reply) if (a.currency or a.value >= 50) and a.value not in allowed]
        expected = case.expected
        violation = violates_limits(state, decision)
        correct = (decision.action == expected.get("action")
                   and ("amount" not in expected or decision.amount == _exact(expected["amount"])) and not violation)
        predicted = {"action": decision.action, "amount": decision.amount, "rule": decision.rule}
        return self.result(case, timed, predicted, correct, violation=violation, stray_amounts=stray)

    def metrics(self, results: list[CaseResult]) -> dict[str, Any]:
        return {
            "accuracy": ratio(sum(r.correct for r in results), len(results)),
            "ceiling_violations": sum(1 for r in results if r.details.get("violation")),
            "reply_amount_violations": sum(1 for r in results if r.details.get("stray_amounts")),
            "cases": len(results),
            "per_class": per_class([(str(r.expected.get("action")), str(r.predicted["action"])) for r in results]),
        }
