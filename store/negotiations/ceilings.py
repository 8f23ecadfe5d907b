"""The per-creator fee ceiling: the brief's flat `fee_ceiling`, scaled to the creator's audience
(`fee_per_1k_followers` × followers on the campaign's platforms / 1,000) and/or the creator's own posted rates
(`ceiling_from_rates`: the sum of `creators.rates` for the brief's deliverables, when every deliverable has a rate
in the campaign's currency). The lowest applicable amount is the ceiling; `basis` says where it came from, for the
agent's reasoning and the manager. A rule that cannot apply (no follower count, a missing rate, another currency)
is named in `basis` and the flat ceiling stays. Pure: enforced by `NegotiationService.limits`, under the campaign
lock when an offer is decided (`store/negotiations/offers.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from store.campaigns.brief import CampaignBrief
from store.models import Creator

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CreatorCeiling:
    amount: Decimal | None
    basis: str | None  # None: the brief's flat ceiling, nothing per creator


def followers_on(brief: CampaignBrief, creator: Creator) -> int | None:
    """The creator's largest audience on the campaign's platforms (any platform when the brief names none)."""
    audience = creator.audience or {}
    platforms = brief.platforms or list(audience)
    counts = [stats.get("followers", stats.get("subscribers")) for name in platforms
              if isinstance(stats := audience.get(name), dict)]
    numbers = [int(count) for count in counts if isinstance(count, int | float) and count > 0]
    return max(numbers) if numbers else None


def rates_total(brief: CampaignBrief, creator: Creator) -> tuple[Decimal | None, str]:
    """The creator's posted price for the brief's deliverables, or None with the reason it cannot be used."""
    if not brief.deliverables:
        return None, "the brief lists no deliverables to price"
    if brief.currency and (creator.currency or "").upper() != brief.currency.upper():
        return None, f"their rates are in {creator.currency}, the campaign is in {brief.currency.upper()}"
    total = Decimal(0)
    for item in brief.deliverables:
        platform = item.platform or (brief.platforms[0] if brief.platforms else None)
        rate = (creator.rates or {}).get(f"{platform}_{item.kind}")
        if rate is None:
            return None, f"no posted rate for {platform} {item.kind}"
        total += Decimal(str(rate)) * item.quantity
    return total.quantize(CENT), "their posted rates"


def creator_ceiling(brief: CampaignBrief, creator: Creator | None) -> CreatorCeiling:
    if creator is None or (brief.fee_per_1k_followers is None and not brief.ceiling_from_rates):
        return CreatorCeiling(brief.fee_ceiling, None)
    candidates: list[tuple[Decimal, str]] = []
    skipped: list[str] = []
    if brief.fee_ceiling is not None:
        candidates.append((brief.fee_ceiling, "the brief's ceiling"))
    if brief.fee_per_1k_followers is not None:
        followers = followers_on(brief, creator)
        if followers is None:
            skipped.append("no follower count for the audience-scaled ceiling")
        else:
            scaled = (brief.fee_per_1k_followers * followers / 1000).quantize(CENT, rounding=ROUND_DOWN)
            candidates.append((scaled, f"{brief.fee_per_1k_followers} per 1,000 followers × {followers:,}"))
    if brief.ceiling_from_rates:
        total, why = rates_total(brief, creator)
        if total is None:
            skipped.append(f"posted rates not used: {why}")
        else:
            candidates.append((total, why))
    if not candidates:
        return CreatorCeiling(None, "; ".join(skipped) or None)
    amount, source = min(candidates, key=lambda candidate: candidate[0])
    return CreatorCeiling(amount, "; ".join([f"{amount} from {source}", *skipped]))
