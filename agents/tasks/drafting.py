"""Outreach drafting: a personalised first contact from the creator's real profile facts only.

Offline, the draft is rendered from the templates in `prompts/outreach_<channel>/`; with a model, the model
writes it from the same facts (budget and fees are never shown to it) and the result must pass
`draft_checks.check_draft` (name, platform, no money, no invented numbers, opt-out line, channel limits), else
the offline draft is used and the reason noted. A redraft applies the manager's feedback: offline, the rules
understand shorter / more formal / more casual / don't mention followers / "mention that ..."; anything else is
reported in `notes` rather than silently ignored. The brand voice learned from the manager's edits
(`brand_voice.voice_draft`) is applied to the offline draft and the nearest edits guide the model (few-shot);
the notes say what was applied.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field

from agents.llm.prompts import PromptTemplate, fenced, load_prompt
from agents.llm.structured import ask_structured
from agents.tasks import facts
from agents.tasks.brand_voice import VoiceProfile, voice_draft, with_examples
from agents.tasks.draft_checks import EMAIL_SUBJECT_MAX, WHATSAPP_MAX_CHARS, check_draft
from agents.tasks.language import draft_language, language_name, localized
from agents.tasks.provenance import fallback_note, produced
from agents.tasks.text import fold
from agents.tasks.types import CampaignBrief, Channel, CreatorProfile, Draft, Produced
from agents.tasks.vocab import match_platforms


class DraftOut(BaseModel):
    """The outreach message."""

    subject: str | None = Field(default=None, description="email subject; null for WhatsApp")
    body_text: str = Field(description="the message body, plain text")
    language: str = Field("en", description="ISO 639-1 language of the message")


@dataclass
class Style:
    tone: str = "standard"  # standard | formal | casual
    short: bool = False
    audience: bool = True
    compact: bool = False  # no deliverables or dates: the last step before cutting text to a channel limit
    prefer_platform: str | None = None
    extra_lines: list[str] = field(default_factory=list)
    unapplied: list[str] = field(default_factory=list)


_POSSESSIVE = re.compile(r"^(?:her|his|their|its|the creator'?s|the)\s+", re.I)


def _profile_mention(clause: str, profile: CreatorProfile | None) -> str | None:
    """A line about the creator's own work when `clause` ("her training videos") is in their profile; else None."""
    if profile is None:
        return None
    topic = _POSSESSIVE.sub("", clause.strip()).strip()
    words = [w for w in re.findall(r"\w+", fold(topic)) if len(w) > 2]
    known = fold(" ".join([profile.bio, *profile.categories]))
    if not words or not all(re.search(rf"\b{re.escape(w[:5])}", known) for w in words):
        return None
    return f"We especially liked your {topic}."


def read_feedback(feedback: str | None, profile: CreatorProfile | None = None) -> Style:
    """What the offline rules can apply from a manager's feedback; the rest goes to `unapplied`."""
    style = Style()
    if not feedback:
        return style
    for sentence in re.split(r"(?<=[.!?])\s+|\n|,\s*(?=and\b)|\band\b(?= (?:more|less|make))", feedback):
        text = fold(sentence).strip(" .,!")
        if not text:
            continue
        understood = False
        if re.search(r"\b(short(er)?|too long|cut( it)?( down)?|concise|brief(er)?|trim|less text|fewer words)\b",
                     text):
            style.short = understood = True
        if re.search(r"\b(less formal|informal|casual|friendl\w*|relaxed|salesy|stiff|warmer)\b", text):
            style.tone, understood = "casual", True
        elif re.search(r"\b(more formal|formal|professional|polite)\b", text):
            style.tone, understood = "formal", True
        if re.search(r"\b(don'?t|do not|no|without|remove|drop) (mention\w* )?(the )?(followers?|follower count|"
                     r"numbers|audience size|stats)\b", text):
            style.audience, understood = False, True
        mention = re.search(r"\bmention (?:that )?(.+)", sentence.strip(), re.I)
        if mention and not understood:
            clause = mention.group(1).strip().rstrip(".!")
            if re.search(r"\bsubject\b", clause, re.I):
                understood = True  # the offline subject always names the product
            elif re.match(r"(we|we'd|we're|our|the campaign|it|they|you)\b", clause, re.I):
                style.extra_lines.append(clause[0].upper() + clause[1:] + ".")
                platforms = match_platforms(clause)
                style.prefer_platform = platforms[0] if platforms else None
                understood = True
            elif line := _profile_mention(clause, profile):
                style.extra_lines.append(line)
                understood = True
        if not understood:
            style.unapplied.append(sentence.strip())
    return style


def _changes(style: Style) -> list[str]:
    """What a redraft changed, in the manager's terms."""
    changes = ["shorter"] if style.short else []
    if style.tone != "standard":
        changes.append(f"{style.tone} tone")
    if not style.audience:
        changes.append("no follower numbers")
    changes.extend(f"added {line!r}" for line in style.extra_lines)
    return changes


def _parts(profile: CreatorProfile, brief: CampaignBrief, style: Style, sender: str) -> dict[str, str]:
    platform = facts.main_platform(profile, brief, style.prefer_platform)
    handle = facts.handle(profile, platform)
    dates = "" if style.compact else facts.dates_phrase(brief)
    deliverables = "" if style.compact else facts.deliverables_phrase(brief.deliverables)
    return {
        "name": facts.creator_name(profile), "platform": facts.platform_name(platform),
        "handle_part": f" ({handle})" if handle else "", "category": facts.category(profile, brief),
        "bio": facts.quotable_bio(profile) or "", "followers": facts.audience(profile, platform) or "",
        "product": facts.product_name(brief), "sender": sender,
        "details_part": "" if style.compact or not (brief.goal or dates) else
        f" ({', '.join(d for d in (brief.goal, dates) if d)})",
        "deliverables_part": f" for {deliverables}" if deliverables else "",
    }


def render_offline(prompt: PromptTemplate, profile: CreatorProfile, brief: CampaignBrief, channel: Channel,
                   style: Style, sender: str) -> Draft:
    values = _parts(profile, brief, style, sender)
    language = draft_language(profile.languages, profile.country)

    def part(section: str) -> str:  # the creator's language when this prompt version has it
        return prompt.render(localized(prompt, section, language), **values)

    intro = "offline_intro_bio" if values["bio"] and not style.short else "offline_intro"
    lines = [part(intro)]
    if values["followers"] and style.audience and not style.short:
        lines.append(part("offline_audience"))
    lines.append(part("offline_pitch_short" if style.short else "offline_pitch"))
    lines.extend(style.extra_lines)
    ask = part("offline_ask_short" if style.short else "offline_ask")
    body = " ".join(line for line in lines + [ask] if line)
    blocks = [part(f"offline_greeting_{style.tone}"), body, part(f"offline_closing_{style.tone}"),
              part("offline_optout")]
    separator = "\n\n" if channel == "email" else "\n"
    if channel == "whatsapp":
        blocks = [f"{blocks[0]} {body}", blocks[2], blocks[3]]
    text = separator.join(block for block in blocks if block)
    subject = part("offline_subject")[:EMAIL_SUBJECT_MAX] if channel == "email" else None
    written = language if prompt.has(f"offline_pitch__{language}") else "en"
    return Draft(channel=channel, subject=subject, body_text=text, language=written)


def _offline_draft(prompt: PromptTemplate, profile: CreatorProfile, brief: CampaignBrief, channel: Channel,
                   style: Style, sender: str) -> Draft:
    """The rendered draft, made shorter step by step until it fits the channel: short variant, then without
    deliverables and dates, then the message text cut at a word (greeting, sign-off and opt-out line kept)."""
    draft = render_offline(prompt, profile, brief, channel, style, sender)
    for step in ("short", "compact"):
        if channel != "whatsapp" or len(draft.body_text) <= WHATSAPP_MAX_CHARS:
            return draft
        setattr(style, step, True)
        draft = render_offline(prompt, profile, brief, channel, style, sender)
    if len(draft.body_text) > WHATSAPP_MAX_CHARS:
        message, _, tail = draft.body_text.partition("\n")
        room = WHATSAPP_MAX_CHARS - len(tail) - 2
        message = message[:room].rsplit(" ", 1)[0] + "…"
        draft = draft.model_copy(update={"body_text": f"{message}\n{tail}"})
    return draft


def _model_facts(profile: CreatorProfile, brief: CampaignBrief) -> tuple[str, str]:
    """What the model may use: the profile, and the brief without money (it must not name fees or budgets)."""
    brief_view = brief.model_dump(mode="json", include={"goal", "product", "platforms", "categories", "countries",
                                                        "languages", "deliverables", "start_date", "end_date"})
    profile_view = profile.model_dump(mode="json", exclude={"email", "whatsapp_opt_in", "creator_id"})
    return json.dumps(profile_view, ensure_ascii=False), json.dumps(brief_view, ensure_ascii=False)


async def draft_outreach(profile: CreatorProfile, brief: CampaignBrief, channel: Channel, *,
                         feedback: str | None = None, previous: Draft | None = None,
                         model: BaseChatModel | None = None, sender: str | None = None,
                         prompt_version: str | None = None, voice: VoiceProfile | None = None,
                         examples: Sequence[tuple[str, str | None, str | None]] = ()) -> Produced[Draft]:
    """One personalised first-contact draft. `feedback` (a manager's rejection note) drives a redraft of `previous`.

    `sender` signs the message (default: "The <product> team"). `voice` (learned from the manager's edits) is
    applied to the offline draft; `examples` (draft, what the manager sent, feedback) guide the model.
    """
    prompt = load_prompt(f"outreach_{channel}", prompt_version)
    sign = sender or f"The {facts.product_name(brief)} team"
    style = read_feedback(feedback, profile)
    notes = [f"feedback not applied by the offline rules: {item!r}" for item in style.unapplied] if model is None \
        else []
    offline = _offline_draft(prompt, profile, brief, channel, style, sign)
    language = draft_language(profile.languages, profile.country)
    optout = prompt.render(localized(prompt, "offline_optout", language))  # the draft's own (localized) opt-out line
    offline, voice_note = voice_draft(offline, voice or VoiceProfile(), profile, brief, optout)
    if voice_note:
        notes.append(voice_note)
    if model is None and feedback:
        notes.extend(f"feedback applied: {change}" for change in _changes(style))
    if model is None and previous is not None and offline.body_text == previous.body_text \
            and offline.subject == previous.subject:
        notes.append("the redraft is unchanged: edit the draft by hand")
    if model is None:
        return produced(offline, prompt, notes=notes)
    profile_json, brief_json = _model_facts(profile, brief)
    feedback_block = prompt.render("feedback_instructions", feedback=feedback) if feedback else ""
    previous_block = prompt.render("previous_draft", draft=fenced(previous.body_text, "draft")) if previous else ""
    messages = prompt.messages(
        profile=fenced(profile_json, "profile"), brief=fenced(brief_json, "brief"), optout=optout,
        max_chars=WHATSAPP_MAX_CHARS, feedback_instructions=feedback_block, previous=previous_block,
        language=language, language_name=language_name(language))
    messages = with_examples(messages, examples)  # the manager's nearest edits, after the rules
    try:
        answer = await ask_structured(model, DraftOut, messages)
    except Exception as error:  # provider or parsing failure: the template still answers
        return produced(offline, prompt, notes=[fallback_note(f"outreach_{channel}", model, error),
                                                *([voice_note] if voice_note else [])])
    out = answer.value
    body = out.body_text.strip()
    if optout.lower() not in body.lower():
        body = f"{body}\n\n{optout}" if channel == "email" else f"{body}\n{optout}"
    subject = (out.subject or prompt.render(localized(prompt, "offline_subject", language),
                                            **_parts(profile, brief, style, sign)))[
        :EMAIL_SUBJECT_MAX] if channel == "email" else None
    draft = Draft(channel=channel, subject=subject, body_text=body, language=out.language or language)
    problems = check_draft(draft, profile, brief)
    if problems:
        notes.append(f"model draft rejected ({'; '.join(problems)}): offline template used")
        return produced(offline, prompt, notes=notes)
    notes = [note for note in notes if note != voice_note]  # the model's draft, not the voiced template, is used
    if examples:
        notes.append(f"guided by {len(examples)} of the manager's earlier edits")
    return produced(draft, prompt, model, answer, notes)
