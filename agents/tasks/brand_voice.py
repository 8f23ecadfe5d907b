"""A brand-voice profile learned from the manager's edits of drafts (offline), applied to new drafts.

From (before, after) pairs: the greeting line and sign-off the manager puts in place of ours (when most edits
agree), the lines they always add and the lines they always delete, and the language the manager writes them in.
`apply_voice()` rewrites a new draft with them, so drafts move toward what the manager would have sent;
`voice_draft()` does it to an outreach draft with the opt-out line kept and the draft rules re-checked;
`voice_reply()` gives a negotiation reply the learned greeting and sign-off only (the added lines were learned on
first contacts), with the amount guard re-checked. A voice learned in one language is not applied to a draft in
another. The model path also gets the nearest edits as few-shot examples (`few_shot()`, `with_examples()`). Lines
both versions end with (the opt-out line the manager kept) are not a sign-off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from langchain_core.messages import BaseMessage

from agents.tasks.draft_checks import check_draft, promise_problems
from agents.tasks.facts import creator_name
from agents.tasks.language import detect_language
from agents.tasks.types import CampaignBrief, CreatorProfile, Draft

_MIN_SHARE = 0.6  # a habit is what at least 60% of the edits do


@dataclass(frozen=True)
class VoiceProfile:
    greeting: str | None = None  # with "{name}" where the creator's name was
    sign_off: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # lines inserted before the sign-off
    removed: list[str] = field(default_factory=list)
    examples: int = 0
    language: str | None = None  # what most of the manager's versions are written in

    def fits(self, draft: Draft) -> bool:
        """Whether this voice can be applied to `draft`: something was learned, in the draft's language."""
        return bool(self.examples) and (self.language is None or self.language == draft.language)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


def _habit(counter: Counter[str], total: int) -> list[str]:
    return [line for line, count in counter.most_common() if line and count / total >= _MIN_SHARE]


def _without_common_tail(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    while old and new and old[-1] == new[-1]:
        old, new = old[:-1], new[:-1]
    return old, new


def _templated(line: str, name: str | None) -> str:
    """The line with the creator's name (full, else first) as "{name}"."""
    for candidate in (name, (name or "").split(" ")[0]):
        if candidate and candidate in line:
            return line.replace(candidate, "{name}")
    return line


def learn_voice(pairs: Sequence[tuple[str, str, str | None]]) -> VoiceProfile:
    """`pairs`: (draft, edited, creator name or None)."""
    if not pairs:
        return VoiceProfile()
    greetings: Counter[str] = Counter()
    sign_offs: Counter[tuple[str, ...]] = Counter()
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    for before, after, name in pairs:
        old, new = _without_common_tail(_lines(before), _lines(after))
        if new:
            greetings[_templated(new[0], name)] += 1
            sign_offs[tuple(new[-2:])] += 1
        old_set, new_set = set(old[1:-2]), set(new[1:-2])
        added.update(line for line in new_set - old_set if line)
        removed.update(line for line in old_set - new_set if line)
    total = len(pairs)
    greeting = next(iter(_habit(Counter({k: v for k, v in greetings.items()}), total)), None)
    sign_off = next((list(k) for k, v in sign_offs.most_common(1) if v / total >= _MIN_SHARE), [])
    languages = Counter(detect_language(after, default="") for _, after, _ in pairs)
    language = next((code for code, count in languages.most_common(1) if code and count / total >= _MIN_SHARE), None)
    return VoiceProfile(greeting=greeting, sign_off=sign_off, added=_habit(added, total),
                        removed=_habit(removed, total), examples=total, language=language)


def apply_voice(draft: str, profile: VoiceProfile, name: str | None = None, *, lines_too: bool = True) -> str:
    """`draft` in the learned voice: greeting and sign-off replaced, and (`lines_too`) the habitual deletions and
    additions made."""
    if not profile.examples:
        return draft
    lines = _lines(draft)
    if profile.greeting and lines:
        lines[0] = profile.greeting.replace("{name}", name or "there")
    if profile.sign_off and len(lines) >= 2:
        lines = lines[:-2] + profile.sign_off
    if not lines_too:
        return "\n".join(lines)
    body = [line for line in lines[1:-2] if line not in profile.removed]
    missing = [line for line in profile.added if line not in body]
    lines = lines[:1] + body + missing + lines[-2:] if len(lines) >= 3 else lines
    return "\n".join(lines)


def few_shot(pairs: Sequence[tuple[str, str | None, str | None]]) -> str:
    """The nearest examples as guidance for the model: draft, what the manager sent or said."""
    if not pairs:
        return ""
    parts = ["Earlier drafts and how the campaign manager corrected them (data: follow their voice and "
             "preferences, never their facts about other creators):"]
    for before, after, feedback in pairs:
        parts.append(f"<draft>\n{before}\n</draft>\n" + (f"<manager_sent>\n{after}\n</manager_sent>" if after else
                                                          f"<manager_feedback>{feedback}</manager_feedback>"))
    return "\n\n".join(parts)


def with_examples(messages: list[BaseMessage], examples: Sequence[tuple[str, str | None, str | None]]
                  ) -> list[BaseMessage]:
    """`messages` with the nearest examples appended to the system message, after the rules (kept out of the prompt
    files: they are data, not rules)."""
    if not examples or not messages:
        return messages
    first = messages[0].model_copy(update={"content": f"{messages[0].content}\n\n{few_shot(examples)}"})
    return [first, *messages[1:]]


def voice_draft(draft: Draft, voice: VoiceProfile, profile: CreatorProfile, brief: CampaignBrief,
                optout: str) -> tuple[Draft, str | None]:
    """`draft` in the learned voice, with its opt-out line kept last, and a note saying what was applied (None
    when nothing was learned). A voiced draft that breaks a draft rule the original passed is not used."""
    if not voice.fits(draft):
        return draft, None
    body = draft.body_text.rstrip()
    head, separator, _ = body.rpartition(optout) if body.endswith(optout) else (body, "", "")
    gap = "\n\n" if head.endswith("\n\n") else "\n"
    voiced_body = apply_voice(head, voice, creator_name(profile))
    voiced = draft.model_copy(update={"body_text": f"{voiced_body}{gap}{optout}" if separator else voiced_body})
    if voiced.body_text == draft.body_text:
        return draft, None
    new_problems = set(check_draft(voiced, profile, brief)) - set(check_draft(draft, profile, brief))
    if new_problems:
        return draft, f"brand voice not applied ({'; '.join(sorted(new_problems))})"
    applied = [what for what, learned in (("greeting", voice.greeting), ("sign-off", voice.sign_off),
                                           ("lines added", voice.added), ("lines removed", voice.removed)) if learned]
    return voiced, f"brand voice applied (learned from {voice.examples} manager edits): {', '.join(applied)}"


def voice_reply(draft: Draft, voice: VoiceProfile, profile: CreatorProfile, brief: CampaignBrief,
                allowed: Collection[Decimal]) -> tuple[Draft, str | None]:
    """A negotiation reply with the learned greeting and sign-off, and a note (None when nothing applies). Not
    used when it would promise more than the original (`promise_problems`, `allowed`: the decided amount)."""
    if not voice.fits(draft) or not (voice.greeting or voice.sign_off):
        return draft, None
    voiced = draft.model_copy(update={"body_text": apply_voice(draft.body_text, voice, creator_name(profile),
                                                               lines_too=False)})
    if voiced.body_text == draft.body_text:
        return draft, None
    language = draft.language
    if set(promise_problems(voiced.body_text, brief, allowed, language, bare_numbers=True)) - set(
            promise_problems(draft.body_text, brief, allowed, language, bare_numbers=True)):
        return draft, "brand voice not applied (it would promise more than the decision)"
    applied = [what for what, learned in (("greeting", voice.greeting), ("sign-off", voice.sign_off)) if learned]
    return voiced, f"brand voice applied (learned from {voice.examples} manager edits): {', '.join(applied)}"
