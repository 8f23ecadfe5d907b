"""Reply classification: intent, proposed fee and currency, out-of-office return date.

Opt-out (`STOP`, unsubscribe, ...) is detected in code before any model call (`agents/tasks/optout.py`, with the
do-not-contact words of `store/contacts/stop_words.py`). The reply is untrusted data: the model sees it fenced as
data, and its answer is cross-checked against the rules and the text (`model_checks.reconcile`: a fee the reply
does not contain is dropped, disagreements are returned as doubts in the notes). Without a model, `reply_rules`
classifies deterministically.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field

from agents.llm.prompts import fenced, load_prompt
from agents.llm.structured import ask_structured
from agents.tasks.model_checks import reconcile
from agents.tasks.money import CENT, CODES, format_amount
from agents.tasks.optout import is_opt_out
from agents.tasks.provenance import fallback_note, produced
from agents.tasks.reply_rules import MAX_RULE_CHARS, RuleVerdict, classify_offline
from agents.tasks.reply_terms import extract_terms
from agents.tasks.text import clean_inbound
from agents.tasks.types import Channel, Produced, ReplyClassification, ReplyIntent
from store.campaigns.brief import MAX_AMOUNT

PROMPT_ID = "reply_intent"
MAX_REPLY_CHARS = MAX_RULE_CHARS  # the model reads what the rules read


class ReplyVerdict(BaseModel):
    """Classify the creator's reply."""

    intent: ReplyIntent
    proposed_fee: Decimal | None = Field(default=None, description="the creator's own price as a plain number, or null")
    currency: str | None = Field(default=None, description="ISO 4217 code of proposed_fee, or null")
    return_date: str | None = Field(default=None, description="out-of-office return date YYYY-MM-DD, or null")
    summary: str = Field("", description="one short neutral sentence")


def _summary(verdict: RuleVerdict) -> str:
    fee = f" ({format_amount(verdict.proposed_fee, verdict.currency)})" if verdict.proposed_fee is not None else ""
    back = f", back {verdict.return_date.isoformat()}" if verdict.return_date else ""
    return f"{verdict.intent.replace('_', ' ')}{fee}{back}: {verdict.reason}"


def _plausible(fee: Decimal | None) -> bool:
    """A fee the negotiation can record: not negative, at most `MAX_AMOUNT`, to the cent."""
    return fee is None or (0 <= fee <= MAX_AMOUNT and fee == fee.quantize(CENT))


def _offline(text: str, today: dt.date) -> ReplyClassification:
    verdict = classify_offline(text, today)
    fee, currency, flags = verdict.proposed_fee, verdict.currency, list(verdict.fee_flags)
    if not _plausible(fee) or "negative" in flags or "invalid" in flags:
        fee, currency = None, None  # not a fee anyone can record; the flags send it to the manager
        flags = sorted({*flags, "invalid"})
    return ReplyClassification(intent=verdict.intent, proposed_fee=fee, currency=currency,
                               return_date=verdict.return_date, summary=_summary(verdict), fee_flags=flags,
                               terms=extract_terms(clean_inbound(text)), language=verdict.language)


def _checked(answer: ReplyVerdict, text: str, notes: list[str]) -> ReplyClassification:
    """The model's answer in range, then cross-checked against the rules and the text (`model_checks`): a fee the
    reply does not contain is dropped, disagreements come back as doubts in `notes`."""
    fee, currency = answer.proposed_fee, (answer.currency or "").upper() or None
    if not _plausible(fee):
        notes.append(f"model fee {fee} cannot be a fee: dropped")
        fee, currency = None, None
    if currency is not None and currency not in CODES:
        notes.append(f"model currency {currency!r} is not an ISO code we know: dropped")
        currency = None
    try:
        return_date = dt.date.fromisoformat(answer.return_date) if answer.return_date else None
    except ValueError:
        notes.append(f"model return date {answer.return_date!r} is not ISO: dropped")
        return_date = None
    rules = _offline(text, dt.date.today())
    read = ReplyClassification(intent=answer.intent, proposed_fee=fee, currency=currency if fee is not None else None,
                               return_date=return_date, summary=answer.summary[:300], terms=rules.terms,
                               language=rules.language)
    checked = reconcile(read, rules, text)
    notes.extend(checked.all_notes())
    return checked.verdict


async def classify_reply(text: str, channel: Channel, model: BaseChatModel | None = None, *,
                         today: dt.date | None = None, prompt_version: str | None = None
                         ) -> Produced[ReplyClassification]:
    """Intent and proposed fee of a creator's reply. The text is untrusted data, never instructions.

    `today` (default: the current date) resolves return dates without a year; `prompt_version` picks a prompt
    version (default: the newest).
    """
    today = today or dt.date.today()
    prompt = load_prompt(PROMPT_ID, prompt_version)
    if is_opt_out(text):
        return produced(ReplyClassification(intent="unsubscribe", summary="asked not to be contacted again"), prompt,
                        notes=["opt-out detected in code"])
    if model is None:
        return produced(_offline(text, today), prompt)
    own = clean_inbound(text)[:MAX_REPLY_CHARS]
    notes: list[str] = []
    try:
        answer = await ask_structured(model, ReplyVerdict, prompt.messages(
            today=today.isoformat(), channel=channel, reply=fenced(own, "reply")))
    except Exception as error:  # any provider or parsing failure: the rules still answer
        return produced(_offline(text, today), prompt, notes=[fallback_note(PROMPT_ID, model, error)])
    return produced(_checked(answer.value, text, notes), prompt, model, answer, notes)
