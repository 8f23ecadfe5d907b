"""What a manager's shortlist feedback changes in the search, by the same offline rules that read briefs.

"Only creators with more than 100k followers" raises `min_followers`; "only Spain and Portugal" replaces the
countries; "also TikTok" adds a platform. Each change is listed so the approval says exactly what happened, and a
sentence the rules cannot turn into a filter is reported as not applied (it still reaches the model, when there is
one, and the free-text query) — the reasoning never claims an effect that did not happen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from agents.tasks.brief_rules import read_message, wants_merge
from agents.tasks.text import sentences
from agents.tasks.types import CampaignBrief

_LIST_FIELDS = ("platforms", "categories", "countries", "languages")


@dataclass
class FeedbackEffect:
    brief: CampaignBrief  # the brief the next search uses
    applied: list[str] = field(default_factory=list)  # "min followers 20,000 → 100,000"
    unapplied: list[str] = field(default_factory=list)  # sentences no rule could apply


def _shown(value: object) -> str:
    if value is None or value == []:
        return "any"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def apply_feedback(brief: CampaignBrief, feedback: list[str], today: dt.date | None = None) -> FeedbackEffect:
    """The brief after every feedback sentence the rules understand, oldest first, and what changed."""
    today = today or dt.date.today()
    current = brief.model_copy(deep=True)
    effect = FeedbackEffect(brief=current)
    for note in feedback:
        for sentence in sentences(note) or [note]:
            update = read_message(sentence, today)
            changes: dict[str, object] = {}
            for name in _LIST_FIELDS:
                stated = getattr(update, name)
                if stated:
                    old = list(getattr(current, name))
                    new = list(dict.fromkeys(old + stated)) if wants_merge(sentence) else stated
                    if new != old:
                        changes[name] = new
            for name in ("min_followers", "max_followers"):
                stated = getattr(update, name)
                if stated is not None and stated != getattr(current, name):
                    changes[name] = stated
            if not any(getattr(update, name) for name in (*_LIST_FIELDS, "min_followers", "max_followers")):
                effect.unapplied.append(sentence.strip())
                continue
            for name, value in changes.items():
                effect.applied.append(f"{name.replace('_', ' ')} {_shown(getattr(current, name))} → {_shown(value)}")
                setattr(current, name, value)
    return effect
