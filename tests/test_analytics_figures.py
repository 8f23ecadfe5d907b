"""Every analytics formula against a hand-computed case, and missing inputs reported as missing (None), not 0."""

from __future__ import annotations

from decimal import Decimal

from store.analytics.emv import DEFAULT_RATES, PlatformRates
from store.analytics.figures import Totals, all_figures
from store.analytics.fx import convert
from store.analytics.rollups import post_totals

CASE = Totals(currency="EUR", spend_committed=Decimal("2000"), spend_paid=Decimal("500"), payment_points=2,
              tracking_points=2, clicks=1000, unique_clicks=800, orders=40, refunded_orders=2,
              revenue_gross=Decimal("3000"), refunds=Decimal("200"), impressions=400_000, impression_posts=3,
              reach=300_000, reach_posts=3, engagements=12_000, engagement_posts=3, rate_engagements=12_000,
              rate_audience=300_000, emv=Decimal("1500.456"), emv_posts=3)


def test_hand_computed_case() -> None:
    figures = all_figures(CASE)
    value = {name: figure.value for name, figure in figures.items()}
    assert value["spend"] == Decimal("2000.00") and value["spend_paid"] == Decimal("500.00")
    assert value["revenue"] == Decimal("2800.00")  # 3000 gross − 200 refunded
    assert value["conversions"] == 38  # 40 orders − 2 fully refunded
    assert value["clicks"] == 800  # unique human clicks
    assert value["cpm"] == Decimal("5.00")  # 2000 / 400,000 × 1000
    assert value["cpe"] == Decimal("0.17")  # 2000 / 12,000 = 0.1666…
    assert value["cpc"] == Decimal("2.50")  # 2000 / 800
    assert value["cpa"] == Decimal("52.63")  # 2000 / 38 = 52.631…
    assert value["roi"] == Decimal("0.4000")  # (2800 − 2000) / 2000
    assert value["roas"] == Decimal("1.4000")  # 2800 / 2000
    assert value["engagement_rate"] == Decimal("0.0400")  # 12,000 / 300,000
    assert value["emv"] == Decimal("1500.46")
    assert figures["roi"].data_points == 40 + 2 and figures["cpm"].data_points == 2 + 3
    assert figures["roi"].formula == "(revenue − spend) / spend" and figures["spend"].unit == "EUR"


def test_missing_inputs_are_none_with_a_reason() -> None:
    figures = all_figures(Totals(currency="EUR"))
    for name in ("spend", "revenue", "clicks", "impressions", "reach", "engagement_rate", "cpm", "cpc", "roi",
                 "roas", "emv"):
        assert figures[name].value is None, name
        assert figures[name].note, name
    # a link with no clicks yet: clicks are a real 0; spend without payments stays unknown, so CPC too
    tracked = all_figures(Totals(currency="EUR", tracking_points=1))
    assert tracked["clicks"].value == 0 and tracked["revenue"].value == Decimal("0.00")
    assert tracked["cpc"].value is None and "spend unknown" in (tracked["cpc"].note or "")


def test_spend_without_revenue_is_a_loss_of_100_percent() -> None:
    figures = all_figures(Totals(currency="EUR", spend_committed=Decimal("900"), payment_points=1, tracking_points=1))
    assert figures["roi"].value == Decimal("-1.0000") and figures["roas"].value == Decimal("0.0000")
    assert figures["cpa"].value is None  # no conversion to divide by


def test_fx_uses_the_search_rates() -> None:
    assert convert(Decimal("108"), "EUR", "EUR") == Decimal("108")
    assert convert(Decimal("100"), "EUR", "USD") == Decimal("108.00")  # 1 EUR = 1.08 USD
    assert convert(Decimal("1"), "XXX", "EUR") is None


def test_post_totals_emv_and_engagement_rate_by_hand() -> None:
    rates = {platform: PlatformRates(platform, "USD", values, False) for platform, values in DEFAULT_RATES.items()}
    instagram = {"impressions": 10_000, "reach": 8_000, "views": None, "likes": 500, "comments": 20, "shares": 10,
                 "saves": 30, "link_clicks": None, "story_taps": None}
    youtube = {"impressions": None, "reach": None, "views": 20_000, "likes": 900, "comments": 100, "shares": None,
               "saves": None, "link_clicks": None, "story_taps": None}
    overall, per_platform, emv = post_totals([("instagram", instagram), ("youtube", youtube)], rates, "USD")
    assert overall.metrics["impressions"] == 10_000 and overall.counts["impressions"] == 1
    assert overall.metrics["engagements"] == 560 + 1000
    # audience: reach for Instagram (8,000), views for YouTube (20,000)
    assert overall.metrics["rate_engagements"] == 1560 and overall.metrics["rate_audience"] == 28_000
    # Instagram 10,000×0.005 + 500×0.10 + 20×0.50 + 10×0.60 + 30×0.60 = 50 + 50 + 10 + 6 + 18 = 134
    # YouTube 20,000×0.03 + 900×0.10 + 100×0.50 = 600 + 90 + 50 = 740
    assert emv == Decimal("874")
    assert per_platform["youtube"].metrics["views"] == 20_000 and per_platform["instagram"].posts == 1
