"""How the cross-check of a model's reply reading behaves (`agents/tasks/model_checks.reconcile`), without a model:

- a *right* model (the labelled intent and fee of each reply, as a perfect model would answer): how often the
  check doubts it anyway (false escalations) and whether every labelled fee is found in the text (kept);
- a *wrong* model (refusals read as interest and the reverse, fees 10% off, fees invented on fee-less replies):
  how many of its mistakes are caught (doubted or dropped) before anything acts on them.

Measured on the reply datasets (dev and held-out: measuring only, nothing is tuned on the held-out split).

    PYTHONPATH=. .venv/bin/python bench/model_checks.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from agents.tasks.model_checks import reconcile
from agents.tasks.optout import is_opt_out
from agents.tasks.replies import classify_reply
from agents.tasks.types import ReplyClassification, ReplyIntent

DATA = Path(__file__).resolve().parent.parent / "evals" / "datasets"
FLIP: dict[str, ReplyIntent] = {"declined": "interested", "interested": "declined", "counter_offer": "declined"}


def _cases(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


def _reading(intent: ReplyIntent, fee: Any, currency: str | None) -> ReplyClassification:
    return ReplyClassification(intent=intent, proposed_fee=Decimal(str(fee)) if fee is not None else None,
                               currency=currency if fee is not None else None)


def _caught(text: str, rules: ReplyClassification, wrong: ReplyClassification) -> bool:
    checked = reconcile(wrong, rules, text)
    return bool(checked.doubts) or checked.verdict.proposed_fee != wrong.proposed_fee or \
        checked.verdict.intent != wrong.intent


async def run(name: str) -> None:
    today = dt.date(2026, 12, 3)
    right_doubted, fees_kept, fees, wrong_caught, wrong_total = 0, 0, 0, 0, 0
    cases = [case for case in _cases(name) if not is_opt_out(case["reply"])]  # opt-outs never reach a model
    for case in cases:
        text, gold = case["reply"], case["expected"]
        rules = (await classify_reply(text, "email", today=today)).value  # the offline rules' reading
        right = reconcile(_reading(gold["intent"], gold.get("proposed_fee"), gold.get("currency")), rules, text)
        right_doubted += bool(right.doubts)
        if gold.get("proposed_fee") is not None:
            fees += 1
            fees_kept += right.verdict.proposed_fee == Decimal(str(gold["proposed_fee"]))
        mistakes = []
        if gold["intent"] in FLIP:
            mistakes.append(_reading(FLIP[gold["intent"]], None, None))
        if gold.get("proposed_fee"):
            mistakes.append(_reading(gold["intent"], Decimal(str(gold["proposed_fee"])) * Decimal("1.1"),
                                     gold.get("currency")))
        elif gold["intent"] in ("interested", "question", "other"):
            mistakes.append(_reading("counter_offer", 4321, "EUR"))
        for wrong in mistakes:
            wrong_total += 1
            wrong_caught += _caught(text, rules, wrong)
    print(f"{name}: {len(cases)} replies (opt-outs left out: decided before any model call)")
    print(f"  right model: doubted {right_doubted}/{len(cases)} ({right_doubted / len(cases):.1%}); labelled fees "
          f"kept {fees_kept}/{fees}")
    print(f"  wrong model: mistakes caught {wrong_caught}/{wrong_total} ({wrong_caught / max(1, wrong_total):.1%})")


if __name__ == "__main__":
    print(f"load average {os.getloadavg()[0]:.1f}")
    for dataset in ("reply_intent.jsonl", "reply_intent_holdout.jsonl"):
        asyncio.run(run(dataset))
