"""The reply to a creator for a negotiation decision. The decision and its amount come from the policy in code
(`agents/policy/negotiation.py`); this task only words it. Offline it renders `prompts/negotiation_reply/`;
with a model, the model writes it and the text passes the amount guard (`draft_checks.promise_problems`: no
amount other than the decided one, in digits or words, no extra money, no usage / exclusivity / paid usage beyond
the brief), else the template is used and the reason noted. While contract terms are still open (the brief left
them for later), an acceptance never promises the agreement: the manager settles those terms first."""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel

from agents.llm.prompts import fenced, load_prompt
from agents.llm.structured import ask_structured
from agents.policy.negotiation import NegotiationDecision
from agents.tasks import facts
from agents.tasks.brand_voice import VoiceProfile, voice_reply, with_examples
from agents.tasks.draft_checks import promise_problems
from agents.tasks.drafting import DraftOut, Style, read_feedback
from agents.tasks.language import draft_language, language_name, localized
from agents.tasks.money import find_amounts, format_amount
from agents.tasks.provenance import fallback_note, produced
from agents.tasks.subjects import reply_subject
from agents.tasks.text import clean_inbound
from agents.tasks.types import CampaignBrief, Channel, CreatorProfile, Draft, Produced

PROMPT_ID = "negotiation_reply"


_PROMISES_CONTRACT = re.compile(r"\b(send|sending|share|sharing|forward)\b[^.!?\n]{0,40}\b(agreement|contract)\b|"
                                r"\b(agreement|contract)\b[^.!?\n]{0,30}\b(on its way|follows?|coming)\b", re.I)


def _wording(instructions: str | None) -> str:
    """The manager's instructions without the sentences naming an amount (the amount is decided in code)."""
    kept = [sentence for sentence in re.split(r"(?<=[.!?])\s+|\n", instructions or "")
            if sentence.strip() and not any(a.currency or a.value >= 50 for a in find_amounts(sentence))]
    return " ".join(kept)


def _steer_notes(style: Style) -> list[str]:
    """Only added lines change an offline negotiation reply; tone and length requests are reported as not applied."""
    unapplied = [*style.unapplied, *(["shorter"] if style.short else []),
                 *([f"{style.tone} tone"] if style.tone != "standard" else []),
                 *(["no follower numbers"] if not style.audience else [])]
    return ([f"feedback applied: added {line!r}" for line in style.extra_lines]
            + [f"feedback not applied by the offline rules: {item!r}" for item in unapplied])


def _with_lines(body: str, lines: list[str]) -> str:
    """`lines` added as a paragraph before the sign-off."""
    if not lines:
        return body
    main, _, closing = body.rpartition("\n\n")
    return f"{main}\n\n{' '.join(lines)}\n\n{closing}" if main else f"{body}\n\n{' '.join(lines)}"


def _template(decision: NegotiationDecision, open_terms: list[str]) -> str:
    if decision.action == "counter" and decision.rule.startswith("2-"):
        return "offline_opening"
    if decision.action == "accept" and open_terms:
        return "offline_accept_open_terms"
    return f"offline_{decision.action}"


def reply_language(profile: CreatorProfile, reply_language: str | None = None) -> str:
    """The creator's language: their profile's (languages, then country), else the language they wrote in."""
    if profile.languages or profile.country:
        chosen = draft_language(profile.languages, profile.country)
        if chosen != "en" or "en" in [code.lower()[:2] for code in profile.languages] or not reply_language:
            return chosen
    return reply_language or "en"


async def draft_negotiation_reply(decision: NegotiationDecision, profile: CreatorProfile, brief: CampaignBrief,
                                  channel: Channel, *, creator_reply: str = "", sender: str | None = None,
                                  instructions: str | None = None, model: BaseChatModel | None = None,
                                  prompt_version: str | None = None, language: str | None = None,
                                  voice: VoiceProfile | None = None,
                                  examples: Sequence[tuple[str, str | None, str | None]] = ()) -> Produced[Draft]:
    """The message that carries `decision` to the creator (an escalation gets a holding reply), in the creator's
    language (`reply_language`; `language` is the language their reply was written in). `instructions` (the
    manager's, for a redraft) guide the wording; amounts in them were already handled in code. `voice` (learned
    from the manager's edits) gives the template the manager's greeting and sign-off; `examples` (draft, what the
    manager sent, feedback: the nearest edits) guide the model."""
    prompt = load_prompt(PROMPT_ID, prompt_version)
    lang = reply_language(profile, language)
    open_terms = brief.missing_terms() if decision.action == "accept" else []
    pending = ", ".join(name.replace("_", " ") for name in open_terms)
    values = {
        "name": facts.creator_name(profile), "sender": sender or f"The {facts.product_name(brief)} team",
        "amount": format_amount(decision.amount, decision.currency) if decision.amount is not None else "",
        "scope": facts.deliverables_phrase(brief.deliverables) or "the collaboration",
        "product": facts.product_name(brief), "pending": pending,
        "language": lang, "language_name": language_name(lang),
        "next_step": (f"we still settle {pending} with the creator before any agreement is sent: do not promise "
                      "the agreement or a contract yet" if open_terms else "we send the agreement to sign next"),
    }
    subject = reply_subject(None, f"{facts.product_name(brief)} collaboration") if channel == "email" else None
    wording = _wording(instructions)
    style = read_feedback(wording, profile)
    template = localized(prompt, _template(decision, open_terms), lang)
    body = prompt.render(template, **values)
    offline = Draft(channel=channel, subject=subject, body_text=_with_lines(body, style.extra_lines),
                    language=lang if template.endswith(f"__{lang}") else "en")
    allowed = {decision.amount} if decision.action in ("accept", "counter") and decision.amount is not None else set()
    offline, voice_note = voice_reply(offline, voice or VoiceProfile(), profile, brief, allowed)
    voiced = [voice_note] if voice_note else []
    steer_notes = _steer_notes(style) if wording else []
    if model is None:
        return produced(offline, prompt, notes=steer_notes + voiced)
    messages = with_examples(prompt.messages(
        **values, action=decision.action, channel=channel,
        length_hint="at most 600 characters" if channel == "whatsapp" else "at most 120 words",
        reply=fenced(clean_inbound(creator_reply)[:4000], "creator_reply"),
        instructions=wording or "none"), examples)
    try:
        answer = await ask_structured(model, DraftOut, messages)
    except Exception as error:  # provider or parsing failure: the template still answers
        return produced(offline, prompt, notes=[fallback_note(PROMPT_ID, model, error), *voiced])
    body = answer.value.body_text.strip()
    promises = promise_problems(body, brief, allowed, language=lang, bare_numbers=True) if body else ["empty reply"]
    if promises:  # another amount, extra money or terms beyond the brief: never sent, the template answers
        return produced(offline, prompt, notes=[f"model reply rejected ({'; '.join(promises)}): template used",
                                                *voiced])
    if open_terms and _PROMISES_CONTRACT.search(body):
        return produced(offline, prompt, notes=["model reply promised the agreement while terms are open: "
                                                "template used", *voiced])
    guided = [f"guided by {len(examples)} of the manager's earlier edits"] if examples else []
    return produced(Draft(channel=channel, subject=subject, body_text=body, language=answer.value.language or "en"),
                    prompt, model, answer, guided)
