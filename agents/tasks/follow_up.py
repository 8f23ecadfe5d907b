"""A follow-up to a creator who has not answered: short, no money, easy to say no, in the creator's language (their
profile's languages, else their country's: `language.draft_language`). Offline it renders `prompts/follow_up/`
(`offline_next`, or `offline_last` for the final one, `__<lang>` variants for our market languages; English when
the prompt version has none); with a model, the model is told the language and writes it from
the same facts and the text must pass the amount guard (`draft_checks.promise_problems`: no amount, no usage /
exclusivity / paid usage promises), else the template is used and the reason noted."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from agents.llm.prompts import fenced, load_prompt
from agents.llm.structured import ask_structured
from agents.tasks import facts
from agents.tasks.draft_checks import promise_problems
from agents.tasks.drafting import DraftOut
from agents.tasks.language import draft_language, language_name, localized
from agents.tasks.provenance import fallback_note, produced
from agents.tasks.subjects import reply_subject
from agents.tasks.types import CampaignBrief, Channel, CreatorProfile, Draft, Produced

PROMPT_ID = "follow_up"


async def draft_follow_up(profile: CreatorProfile, brief: CampaignBrief, channel: Channel, *, number: int,
                          limit: int, previous: str = "", subject: str | None = None, sender: str | None = None,
                          model: BaseChatModel | None = None, prompt_version: str | None = None) -> Produced[Draft]:
    """Follow-up `number` of `limit`; `previous` is our last message, `subject` its subject (email threads)."""
    prompt = load_prompt(PROMPT_ID, prompt_version)
    values = {"name": facts.creator_name(profile), "sender": sender or f"The {facts.product_name(brief)} team",
              "product": facts.product_name(brief),
              "scope": facts.deliverables_phrase(brief.deliverables) or "a collaboration"}
    subject = reply_subject(subject, f"{facts.product_name(brief)} collaboration") if channel == "email" else None
    language = draft_language(profile.languages, profile.country)
    template = localized(prompt, "offline_last" if number >= limit else "offline_next", language)
    offline = Draft(channel=channel, subject=subject, body_text=prompt.render(template, **values),
                    language=language if template.endswith(f"__{language}") else "en")
    if model is None:
        return produced(offline, prompt)
    try:
        answer = await ask_structured(model, DraftOut, prompt.messages(
            **values, number=number, limit=limit, channel=channel, language=language,
            language_name=language_name(language),
            length_hint="at most 400 characters" if channel == "whatsapp" else "at most 90 words",
            previous=fenced(previous[:3000], "previous")))
    except Exception as error:  # provider or parsing failure: the template still answers
        return produced(offline, prompt, notes=[fallback_note(PROMPT_ID, model, error)])
    body = answer.value.body_text.strip()
    written = answer.value.language or language
    promises = promise_problems(body, brief, language=written) if body else ["empty follow-up"]
    if promises:  # a follow-up names no money and promises no terms
        return produced(offline, prompt, notes=[f"model follow-up rejected ({'; '.join(promises)}): template used"])
    return produced(Draft(channel=channel, subject=subject, body_text=body, language=written),
                    prompt, model, answer)
