"""negotiation: the policy in code decides each case (accept / counter / decline / escalate, amount when the case
gives one); ceiling violations (anything accepted or offered above the ceiling or the budget left) must be zero.
The reply carrying the decision is drafted too (with the model when one is configured) and may name no other
amount.

Cases with a `creator_reply` run end to end like the agent: the reply is classified (intent, fee, flags, terms),
a refusal closes, an opt-out opts out, a question escalates, and otherwise the policy decides with the creator's
terms checked against the brief. `terms` scores the conditions read from the reply (as a set of kinds);
`unsafe_accepts` counts accepts whose amount is not the creator's own stated price (must be 0).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.policy.negotiation import NegotiationDecision, NegotiationState, decide, violates_limits
from agents.tasks.money import find_amounts
from agents.tasks.negotiation import draft_negotiation_reply
from agents.tasks.replies import classify_reply
from agents.tasks.reply_terms import term_conflicts
from agents.tasks.types import CampaignBrief, CreatorProfile, ReplyClassification
from evals.cases import Case, CaseResult
from evals.metrics import per_class, ratio
from evals.suites.base import Suite


def _exact(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


_PROFILE = CreatorProfile(creator_id="eval", display_name="Alex Morgan", first_name="Alex")


class NegotiationSuite(Suite):
    name = "negotiation"
    headline = ("accuracy", "terms")

    async def _from_reply(self, data: dict[str, Any], brief: CampaignBrief
                          ) -> tuple[ReplyClassification, NegotiationState, NegotiationDecision]:
        """What the agent's classify and decide nodes do with the creator's text."""
        produced = await classify_reply(str(data["creator_reply"]), "email", self.ctx.model,
                                        prompt_version=self.ctx.prompt_version)
        verdict = produced.value
        last_offer = _exact(data.get("last_offer"))
        ask = verdict.proposed_fee
        if ask is None and last_offer is not None and verdict.intent == "interested":
            ask = last_offer
        state = NegotiationState(
            ask=ask, ask_currency=verdict.currency, currency=brief.currency, ceiling=brief.fee_ceiling,
            target=brief.fee_target, budget_left=_exact(data.get("budget_left")), round=int(data.get("round", 1)),
            max_rounds=int(data.get("max_rounds", 3)), last_offer=last_offer, ask_flags=tuple(verdict.fee_flags),
            term_conflicts=tuple(term_conflicts([t for t in verdict.terms if t.kind != "gifting"], brief)),
            gifted=any(t.kind == "gifting" for t in verdict.terms))
        routed = {"declined": "close", "unsubscribe": "opt_out", "out_of_office": "postpone"}.get(verdict.intent)
        if routed:
            return verdict, state, NegotiationDecision(action="escalate", amount=None, currency=brief.currency,
                                                       rule=routed, reason="routed before the policy")
        if verdict.intent in ("question", "other") and not (state.term_conflicts or state.gifted):
            return verdict, state, NegotiationDecision(action="escalate", amount=None, currency=brief.currency,
                                                       rule="0-question", reason="a question")
        return verdict, state, decide(state)

    async def run_case(self, case: Case) -> CaseResult:
        data = case.data
        brief = CampaignBrief.model_validate({
            "product": "Eval product", "currency": data.get("currency"), "fee_ceiling": data.get("ceiling"),
            "fee_target": data.get("target"), **{k: data[k] for k in ("usage_rights", "exclusivity", "deliverables")
                                                 if k in data}})
        verdict: ReplyClassification | None = None
        if data.get("creator_reply") is not None and data.get("ask_from_reply"):
            verdict, state, decision = await self._from_reply(data, brief)
        else:
            state = NegotiationState(ask=_exact(data.get("ask")), ask_currency=data.get("ask_currency"),
                                     currency=data.get("currency"), ceiling=_exact(data.get("ceiling")),
                                     target=_exact(data.get("target")), budget_left=_exact(data.get("budget_left")),
                                     round=int(data.get("round", 1)), max_rounds=int(data.get("max_rounds", 3)),
                                     last_offer=_exact(data.get("last_offer")))
            decision = decide(state)
        action = decision.rule if decision.rule in ("close", "opt_out", "postpone") else decision.action
        timed = await self.timed(draft_negotiation_reply(
            decision, _PROFILE, brief, "email", creator_reply=str(data.get("creator_reply", "")),
            model=self.ctx.model, prompt_version=self.ctx.prompt_version))
        reply = timed.produced[0].value.body_text
        allowed = {decision.amount} if decision.action in ("accept", "counter") else set()
        stray = [a.text for a in find_amounts(reply) if (a.currency or a.value >= 50) and a.value not in allowed]
        expected = case.expected
        violation = violates_limits(state, decision)
        correct = (action == expected.get("action")
                   and ("amount" not in expected or decision.amount == _exact(expected["amount"])) and not violation)
        # An accept is safe only at the creator's own stated price: the expected accept amount when the case
        # states one, else the ask the case gives.
        stated = _exact(expected["amount"]) if expected.get("action") == "accept" and "amount" in expected else (
            None if verdict is not None else state.ask)
        unsafe = decision.action == "accept" and (stated is None or decision.amount != stated)
        predicted: dict[str, Any] = {"action": action, "amount": decision.amount, "rule": decision.rule}
        terms_ok = None
        if verdict is not None and "terms" in expected:
            predicted["terms"] = sorted({t.kind for t in verdict.terms})
            terms_ok = predicted["terms"] == sorted(set(expected["terms"]))
        return self.result(case, timed, predicted, correct and terms_ok is not False, violation=violation,
                           stray_amounts=stray, unsafe_accept=unsafe, terms_ok=terms_ok,
                           terms_checked=terms_ok is not None)

    def metrics(self, results: list[CaseResult]) -> dict[str, Any]:
        with_terms = [r for r in results if r.details.get("terms_checked")]
        return {
            "accuracy": ratio(sum(r.correct for r in results), len(results)),
            "terms": ratio(sum(1 for r in with_terms if r.details.get("terms_ok")), len(with_terms)),
            "unsafe_accepts": sum(1 for r in results if r.details.get("unsafe_accept")),
            "ceiling_violations": sum(1 for r in results if r.details.get("violation")),
            "reply_amount_violations": sum(1 for r in results if r.details.get("stray_amounts")),
            "cases": len(results),
            "per_class": per_class([(str(r.expected.get("action")), str(r.predicted["action"])) for r in results]),
        }
