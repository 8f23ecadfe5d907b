"""A deterministic, realistic synthetic creator population for `influency creators seed` and the benchmark.

Same `seed` and `count` → the same creators (ids included). Audiences follow a power law (Pareto tail: most
creators are nano/micro, a few are huge), engagement falls with audience size, each creator has a primary
platform chosen by niche affinity plus correlated secondary platforms, niches come with related niches,
countries with their languages, cities, currency and phone prefix, and bios are assembled from varied templates.
Rows are dicts of `creators` columns, derived columns included, ready for COPY.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from store.creators import synthetic_data as vocab
from store.creators.iso_codes import LANGUAGES
from store.creators.money import USD_PER_UNIT
from store.creators.profile import PLATFORMS, derived_columns, embedding_text, platforms_of, text_hash
from store.models.creator import CreatorSource

EPOCH = datetime(2026, 11, 1, tzinfo=UTC)  # fixed, so timestamps are deterministic too
_BASE_ENGAGEMENT = {"instagram": 3.2, "tiktok": 5.5, "youtube": 3.8, "twitter": 1.1}
_VIEW_RATIO = {"instagram": 0.18, "tiktok": 0.6, "youtube": 0.22, "twitter": 0.05}
_USD_PER_1K_FOLLOWERS = {"instagram": 9.0, "tiktok": 7.0, "youtube": 16.0, "twitter": 3.0}


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _nice(amount: float) -> float:
    """Round a price the way people quote them (45 → 45, 1234 → 1200, 98765 → 99000)."""
    if amount < 100:
        return float(max(5, round(amount / 5) * 5))
    magnitude = 10 ** (int(math.log10(amount)) - 1)
    return float(round(amount / magnitude) * magnitude)


class CreatorFactory:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.niche_weights = [niche.weight for niche in vocab.NICHES]
        self.market_weights = [market.weight for market in vocab.MARKETS]
        self.niche_by_name = {niche.name: niche for niche in vocab.NICHES}

    def _followers(self) -> int:
        # Pareto with x_min = 1,000 and alpha = 0.9: median ~2k, p90 ~13k, p99 ~170k, p99.9 ~2M.
        u = 1.0 - self.rng.random()
        return min(int(1_000 * u ** (-1 / 0.9)), 400_000_000)

    def _audience(self, niche: vocab.Niche) -> dict[str, Any]:
        rng = self.rng
        primary = rng.choices(list(niche.platforms), weights=list(niche.platforms.values()))[0]
        followers = {primary: self._followers()}
        for platform in PLATFORMS:
            if platform != primary and rng.random() < (0.35 if platform != "twitter" else 0.15):
                followers[platform] = max(50, int(followers[primary] * math.exp(rng.gauss(-1.2, 1.0))))
        audience = {}
        for platform, count in followers.items():
            size_factor = (max(count, 1_000) / 10_000) ** -0.15
            engagement = _BASE_ENGAGEMENT[platform] * size_factor * math.exp(rng.gauss(0, 0.35))
            audience[platform] = {
                "handle": None,  # filled by the caller, which knows the name
                "followers": count,
                "avg_views": int(count * _VIEW_RATIO[platform] * math.exp(rng.gauss(0, 0.5))),
                "engagement_rate": round(min(max(engagement, 0.1), 30.0), 2),
            }
        return audience

    def _rates(self, audience: dict[str, Any], currency: str) -> dict[str, float]:
        rates = {}
        for platform, stats in audience.items():
            base_usd = max(40.0, stats["followers"] / 1_000 * _USD_PER_1K_FOLLOWERS[platform])
            for deliverable, factor in vocab.DELIVERABLES[platform]:
                usd = base_usd * factor * math.exp(self.rng.gauss(0, 0.3))
                rates[deliverable] = _nice(usd / USD_PER_UNIT[currency])
        return rates

    def _bio(self, niche: vocab.Niche, niches: list[str], city: str, first: str, languages: list[str]) -> str:
        rng = self.rng
        topic, topic2 = rng.sample(niche.topics, 2)
        other = self.niche_by_name[niches[-1]] if len(niches) > 1 else rng.choice(vocab.NICHES)
        role = rng.choice(niche.roles)
        values = {
            "emoji": rng.choice(vocab.EMOJI), "role": role, "role_cap": role[:1].upper() + role[1:],
            "topic": topic, "topic2": topic2, "topic_cap": topic[:1].upper() + topic[1:],
            "city": city, "first": first, "year": rng.randint(2012, 2025),
            "niche_cap": niche.name.title(), "audience": rng.choice(vocab.AUDIENCES),
            "unit": rng.choice(vocab.UNITS), "weekday": rng.choice(vocab.WEEKDAYS),
            "past": rng.choice(vocab.PAST_JOBS), "other_topic": rng.choice(other.topics),
            "adjective_cap": rng.choice(vocab.ADJECTIVES).capitalize(), "press": rng.choice(vocab.PRESS),
            "count_word": rng.choice(vocab.COUNT_WORDS),
            "language_names": " and ".join(LANGUAGES[code] for code in languages),
        }
        middle = rng.choice(vocab.MIDDLES)
        if "{language_names}" in middle and len(languages) < 2:
            middle = ""
        parts = [rng.choice(vocab.OPENERS), middle, rng.choice(vocab.CLOSERS)]
        return " ".join(part.format(**values).strip() for part in parts if part).strip()

    def make(self, index: int) -> dict[str, Any]:
        rng = self.rng
        creator_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        niche = rng.choices(vocab.NICHES, weights=self.niche_weights)[0]
        niches = [niche.name] + [name for name in niche.related if rng.random() < 0.3][:2]
        market = rng.choices(vocab.MARKETS, weights=self.market_weights)[0]
        languages = list(market.languages[:1])
        if len(market.languages) > 1 and rng.random() < 0.6:
            languages.append(market.languages[1])
        elif "en" not in languages and rng.random() < 0.3:
            languages.append("en")
        firsts, lasts = vocab.NAMES[market.names]
        first, last = rng.choice(firsts), rng.choice(lasts)
        style = rng.random()
        display_name = (f"{first} {last}" if style < 0.6 else f"{first} | {niche.name.title()}" if style < 0.85
                        else f"{first} the {rng.choice(niche.roles).title()}")
        base = "".join(ch for ch in f"{first}{rng.choice([last, niche.name, ''])}".lower() if ch.isascii()
                       and ch.isalnum())
        audience = self._audience(niche)
        for platform in audience:
            audience[platform]["handle"] = f"{base}{rng.choice(['', '.', '_'])}{_b36(index)}"
        currency = market.currency if rng.random() < 0.7 else "USD"
        rates = self._rates(audience, currency)
        handle = audience[next(iter(audience))]["handle"]
        has_phone = rng.random() < 0.5
        phone_digits = 11 - len(market.calling_code)
        whatsapp_phone = (f"+{market.calling_code}{rng.randrange(10 ** (phone_digits - 1), 10 ** phone_digits)}"
                          if has_phone else None)
        city = rng.choice(market.cities)
        bio = self._bio(niche, niches, city, first, languages)
        created_at = EPOCH - timedelta(seconds=rng.randrange(3 * 365 * 86_400))
        row: dict[str, Any] = {
            "id": creator_id, "user_id": None, "display_name": display_name, "bio": bio, "categories": niches,
            "languages": languages, "country": market.country, "city": city, "audience": audience,
            "email": f"{handle.replace('.', '_')}@{rng.choice(vocab.EMAIL_DOMAINS)}",
            "whatsapp_phone": whatsapp_phone, "email_opt_in": rng.choices((True, None, False), (0.6, 0.35, 0.05))[0],
            "whatsapp_opt_in": has_phone and rng.random() < 0.45, "rates": rates, "currency": currency,
            "source": CreatorSource.seeded, "imported_by_organization_id": None,
            "preferred_channel": None,  # email when both are open; set without drawing, so seeds stay reproducible
            "created_at": created_at, "updated_at": created_at,
        }
        row.update(derived_columns(display_name=display_name, categories=niches, audience=audience, rates=rates,
                                   currency=currency, country=market.country, languages=languages))
        row["content_hash"] = text_hash(embedding_text(bio=bio, categories=niches, platforms=platforms_of(audience),
                                                       city=city, country=market.country, languages=languages))
        return row


def synthetic_creators(count: int, seed: int) -> Iterator[dict[str, Any]]:
    factory = CreatorFactory(seed)
    for index in range(count):
        yield factory.make(index)
