"""A brand-voice profile learned from the manager's edits of drafts (offline), applied to new drafts.

From (before, after) pairs: the greeting line and sign-off the manager puts in place of ours (when most edits
agree), the lines they always add and the lines they always delete. `apply_voice()` rewrites a new draft with
them, so drafts move toward what the manager would have sent. The model path gets the nearest edits as few-shot
examples instead (`few_shot()`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

_MIN_SHARE = 0.6  # a habit is what at least 60% of the edits do


@dataclass(frozen=True)
class VoiceProfile:
    greeting: str | None = None  # with "{name}" where the creator's name was
    sign_off: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # lines inserted before the sign-off
    removed: list[str] = field(default_factory=list)
    examples: int = 0


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


def _habit(counter: Counter[str], total: int) -> list[str]:
    return [line for line, count in counter.most_common() if line and count / total >= _MIN_SHARE]


def learn_voice(pairs: Sequence[tuple[str, str, str | None]]) -> VoiceProfile:
    """`pairs`: (draft, edited, creator name or None)."""
    if not pairs:
        return VoiceProfile()
    greetings: Counter[str] = Counter()
    sign_offs: Counter[tuple[str, ...]] = Counter()
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    for before, after, name in pairs:
        old, new = _lines(before), _lines(after)
        if new:
            first = new[0].replace(name, "{name}") if name else new[0]
            greetings[first] += 1
            tail = tuple(new[-2:]) if len(new) >= 2 and new[-2] and new[-2].rstrip(",").istitle() is False else \
                tuple(new[-2:])
            sign_offs[tail] += 1
        old_set, new_set = set(old[1:-2]), set(new[1:-2])
        added.update(line for line in new_set - old_set if line)
        removed.update(line for line in old_set - new_set if line)
    total = len(pairs)
    greeting = next(iter(_habit(Counter({k: v for k, v in greetings.items()}), total)), None)
    sign_off = next((list(k) for k, v in sign_offs.most_common(1) if v / total >= _MIN_SHARE), [])
    return VoiceProfile(greeting=greeting, sign_off=sign_off, added=_habit(added, total),
                        removed=_habit(removed, total), examples=total)


def apply_voice(draft: str, profile: VoiceProfile, name: str | None = None) -> str:
    """`draft` in the learned voice: greeting and sign-off replaced, habitual deletions and additions made."""
    if not profile.examples:
        return draft
    lines = _lines(draft)
    if profile.greeting and lines:
        lines[0] = profile.greeting.replace("{name}", name or "there")
    if profile.sign_off and len(lines) >= 2:
        lines = lines[:-2] + profile.sign_off
    body = [line for line in lines[1:-2] if line not in profile.removed]
    missing = [line for line in profile.added if line not in body]
    lines = lines[:1] + body + missing + lines[-2:] if len(lines) >= 3 else lines
    return "\n".join(lines)


def few_shot(pairs: Sequence[tuple[str, str | None, str | None]]) -> str:
    """The nearest examples as guidance for the model: draft, what the manager sent or said."""
    parts = []
    for before, after, feedback in pairs:
        parts.append(f"<draft>\n{before}\n</draft>\n" + (f"<manager_sent>\n{after}\n</manager_sent>" if after else
                                                          f"<manager_feedback>{feedback}</manager_feedback>"))
    return "\n\n".join(parts)
