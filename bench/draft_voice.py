"""Learning from edits: do drafts move toward what the manager sends after 20 recorded edits?

A simulated manager with a consistent voice (own greeting and sign-off, always deletes one stock line and adds
one of their own) edits the offline drafts of the 20 development creators (`evals/datasets/drafts.jsonl`); the
brand-voice profile is learned from those 20 (before, after) pairs and applied to fresh drafts for the held-out
creators (`drafts_holdout.jsonl`). Printed: mean character edit distance (Levenshtein) and normalized distance
between the draft and the manager's version, before vs after learning. A second scenario goes through the wired
path (`draft_outreach(voice=...)`, email): the manager keeps the paragraphs and the opt-out line, which the
voiced draft must keep last. A third applies the same manager's greeting and sign-off to negotiation replies.

    PYTHONPATH=. HF_HUB_OFFLINE=1 .venv/bin/python bench/draft_voice.py
"""

from __future__ import annotations

import asyncio
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from agents.policy.negotiation import NegotiationDecision
from agents.tasks.brand_voice import apply_voice, learn_voice
from agents.tasks.drafting import draft_outreach
from agents.tasks.negotiation import draft_negotiation_reply
from agents.tasks.types import CampaignBrief, CreatorProfile

DATA = Path(__file__).resolve().parent.parent / "evals" / "datasets"


def manager_edit(body: str, name: str) -> str:
    """What this manager does to every draft."""
    lines = body.strip().splitlines()
    kept = [line for line in lines[1:-2] if not re.search(r"\b(hope|excited|reaching out)\b", line, re.I)]
    return "\n".join([f"Hey {name}!", *kept, "No pressure at all, just let me know what you think.",
                      "Cheers,", "Mara @ the brand team"])


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def manager_email_edit(body: str, name: str) -> str:
    """The same manager on a real email draft: paragraphs and the opt-out line kept."""
    lines = body.strip().splitlines()
    closing = max(i for i, line in enumerate(lines) if line.endswith(","))  # "Best,", "Un saludo,", ...
    middle = [line for line in lines[1:closing] if not re.search(r"\b(hope|excited)\b", line, re.I)]
    return "\n".join([f"Hey {name}!", *middle, "No pressure at all, just let me know what you think.", "",
                      "Cheers,", "Mara @ the brand team", *lines[closing + 2:]])


async def wired(text: str) -> list[tuple[str, str, Any, Any]]:
    out = []
    for line in text.splitlines():
        case = json.loads(line)
        if case.get("feedback") or case["channel"] != "email":
            continue
        profile = CreatorProfile.model_validate(case["profile"])
        brief = CampaignBrief.model_validate(case["brief"])
        body = (await draft_outreach(profile, brief, "email")).value.body_text
        out.append((body, profile.first_name or profile.display_name, profile, brief))
    return out


async def drafts(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.splitlines():
        case = json.loads(line)
        if case.get("feedback"):
            continue
        profile = CreatorProfile.model_validate(case["profile"])
        produced = await draft_outreach(profile, CampaignBrief.model_validate(case["brief"]),
                                        case["channel"])
        out.append((produced.value.body_text, profile.first_name or profile.display_name))
    return out


async def main() -> None:
    train = await drafts((DATA / "drafts.jsonl").read_text())
    train = (train * 3)[:20]  # 20 recorded edits
    test = await drafts((DATA / "drafts_holdout.jsonl").read_text())
    profile = learn_voice([(body, manager_edit(body, name), name) for body, name in train])
    before = [levenshtein(body, manager_edit(body, name)) for body, name in test]
    after = [levenshtein(apply_voice(body, profile, name), manager_edit(body, name)) for body, name in test]
    norm_before = [d / max(1, len(manager_edit(b, n))) for d, (b, n) in zip(before, test, strict=True)]
    norm_after = [d / max(1, len(manager_edit(b, n))) for d, (b, n) in zip(after, test, strict=True)]
    print(f"edits learned from: {len(train)}; held-out drafts: {len(test)}")
    print(f"mean edit distance, chars: before {sum(before) / len(before):.1f}, after {sum(after) / len(after):.1f}")
    print(f"mean normalized distance: before {sum(norm_before) / len(test):.3f}, "
          f"after {sum(norm_after) / len(test):.3f}")
    print(f"held-out drafts needing no edit: before {sum(d == 0 for d in before)}/{len(test)}, "
          f"after {sum(d == 0 for d in after)}/{len(test)}")

    train_mail = ((await wired((DATA / "drafts.jsonl").read_text())) * 5)[:20]
    test_mail = await wired((DATA / "drafts_holdout.jsonl").read_text())
    voice = learn_voice([(body, manager_email_edit(body, name), name) for body, name, *_ in train_mail])
    distances = []
    for body, name, creator, brief in test_mail:
        target = manager_email_edit(body, name)
        voiced = (await draft_outreach(creator, brief, "email", voice=voice)).value.body_text
        distances.append((levenshtein(body, target), levenshtein(voiced, target)))
    before_mean = sum(b for b, _ in distances) / len(distances)
    after_mean = sum(a for _, a in distances) / len(distances)
    print(f"wired path (email, opt-out kept), {len(test_mail)} held-out drafts: mean edit distance before "
          f"{before_mean:.1f}, after {after_mean:.1f} (a voice learned in {voice.language} is applied to drafts in "
          f"that language only: {sum(1 for *_, c, _ in test_mail if c.languages[:1] in ([], ['en']))} of them)")
    await negotiation_replies(train_mail, test_mail)


async def negotiation_replies(train: list[tuple[str, str, Any, Any]], test: list[tuple[str, str, Any, Any]]) -> None:
    """The same manager's greeting and sign-off on negotiation replies (a counter-offer), learned from 20 edited
    replies and applied to the held-out creators' replies (`draft_negotiation_reply(voice=...)`)."""
    decision = NegotiationDecision(action="counter", amount=Decimal(700), currency="EUR", rule="3-counter",
                                   reason="bench")

    def manager(body: str, name: str) -> str:
        lines = body.strip().splitlines()
        return "\n".join([f"Hey {name}!", *lines[1:-2], "Cheers,", "Mara @ the brand team"])

    async def reply(creator: Any, brief: Any, voice: Any = None) -> str:
        return (await draft_negotiation_reply(decision, creator, brief, "email", voice=voice)).value.body_text

    pairs = [(body, manager(body, name), name)
             for body, name in [(await reply(c, b), n) for _, n, c, b in train]]
    voice = learn_voice(pairs)
    distances = []
    for _, name, creator, brief in test:
        plain = await reply(creator, brief)
        target = manager(plain, name)
        distances.append((levenshtein(plain, target), levenshtein(await reply(creator, brief, voice), target)))
    before, after = (sum(pair[i] for pair in distances) / len(distances) for i in (0, 1))
    print(f"negotiation replies (counter, email), {len(test)} held-out: mean edit distance before {before:.1f}, "
          f"after {after:.1f} (voice language {voice.language})")


if __name__ == "__main__":
    asyncio.run(main())
