"""The reported figures and their formulas: pure functions of rollup totals (tested against hand-computed cases).

Every figure carries its value, its unit (a currency code, `count`, `ratio`), the formula it came from and how many
raw data points it rests on. A figure whose inputs are missing is None with a note — never 0: no payments means the
spend is unknown, no tracked link or promo code means clicks and revenue are unknown, no post reporting impressions
means impressions are unknown. Spend-based ratios use the committed spend (what the campaign has agreed to pay).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MONEY = Decimal("0.01")
RATIO = Decimal("0.0001")


@dataclass(frozen=True)
class Figure:
    value: Decimal | int | None
    unit: str
    formula: str
    data_points: int
    note: str | None = None


@dataclass(frozen=True)
class Totals:
    """Sums of rollup rows (one creator, a campaign, an organization) in one reporting currency."""

    currency: str
    spend_committed: Decimal = Decimal(0)
    spend_paid: Decimal = Decimal(0)
    payment_points: int = 0
    tracking_points: int = 0  # tracked links + promo codes
    clicks: int = 0
    unique_clicks: int = 0
    orders: int = 0
    refunded_orders: int = 0
    revenue_gross: Decimal = Decimal(0)
    refunds: Decimal = Decimal(0)
    unconverted_orders: int = 0
    impressions: int | None = None
    impression_posts: int = 0
    reach: int | None = None
    reach_posts: int = 0
    views: int | None = None
    engagements: int | None = None
    engagement_posts: int = 0
    rate_engagements: int | None = None
    rate_audience: int | None = None
    emv: Decimal | None = None
    emv_posts: int = 0
    emv_custom_rates: bool = False


def _money(value: Decimal) -> Decimal:
    return value.quantize(MONEY, rounding=ROUND_HALF_UP)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    return (numerator / denominator).quantize(RATIO, rounding=ROUND_HALF_UP)


def _missing(unit: str, formula: str, points: int, why: str) -> Figure:
    return Figure(None, unit, formula, points, why)


def spend(totals: Totals) -> Figure:
    formula = "Σ payments not cancelled (committed), from the payments ledger"
    if not totals.payment_points:
        return _missing(totals.currency, formula, 0, "no payments recorded yet")
    return Figure(_money(totals.spend_committed), totals.currency, formula, totals.payment_points)


def spend_paid(totals: Totals) -> Figure:
    formula = "Σ payments paid out, from the payments ledger"
    if not totals.payment_points:
        return _missing(totals.currency, formula, 0, "no payments recorded yet")
    return Figure(_money(totals.spend_paid), totals.currency, formula, totals.payment_points)


def revenue(totals: Totals) -> Figure:
    formula = "Σ attributed order totals − Σ their refunds"
    points = totals.orders + totals.unconverted_orders
    if not totals.tracking_points and not totals.orders:
        return _missing(totals.currency, formula, points, "no tracked link or promo code, no attributed order")
    note = f"{totals.unconverted_orders} order(s) in a currency without a rate left out" \
        if totals.unconverted_orders else None
    return Figure(_money(totals.revenue_gross - totals.refunds), totals.currency, formula, totals.orders, note)


def clicks(totals: Totals) -> Figure:
    formula = "unique human clicks on tracked links (bots filtered, repeats within the window counted once)"
    if not totals.tracking_points and not totals.clicks:
        return _missing("count", formula, 0, "no tracked link")
    return Figure(totals.unique_clicks, "count", formula, totals.clicks)


def conversions(totals: Totals) -> Figure:
    formula = "attributed orders − fully refunded ones"
    if not totals.tracking_points and not totals.orders:
        return _missing("count", formula, 0, "no tracked link or promo code")
    return Figure(totals.orders - totals.refunded_orders, "count", formula, totals.orders)


def _count(value: int | None, points: int, formula: str, why: str) -> Figure:
    return _missing("count", formula, 0, why) if value is None else Figure(value, "count", formula, points)


def impressions(totals: Totals) -> Figure:
    return _count(totals.impressions, totals.impression_posts, "Σ over posts of the latest impressions reading",
                  "no post reports impressions")


def reach(totals: Totals) -> Figure:
    return _count(totals.reach, totals.reach_posts, "Σ over posts of the latest reach reading",
                  "no post reports reach")


def engagements(totals: Totals) -> Figure:
    return _count(totals.engagements, totals.engagement_posts,
                  "Σ over posts of the latest likes + comments + shares + saves", "no post reports engagements")


def engagement_rate(totals: Totals) -> Figure:
    formula = "engagements / audience (reach, else views), over posts reporting both"
    if not totals.rate_audience or totals.rate_engagements is None:
        return _missing("ratio", formula, 0, "no post reports both engagements and reach or views")
    return Figure(_ratio(Decimal(totals.rate_engagements), Decimal(totals.rate_audience)), "ratio", formula,
                  totals.engagement_posts)


def _cost_per(totals: Totals, name: str, denominator: int | None, points: int, scale: int = 1) -> Figure:
    formula = f"spend / {name}" + (f" × {scale}" if scale != 1 else "")
    if not totals.payment_points:
        return _missing(totals.currency, formula, points, "spend unknown: no payments recorded yet")
    if not denominator:
        return _missing(totals.currency, formula, totals.payment_points, f"no {name} recorded")
    return Figure(_money(totals.spend_committed * scale / Decimal(denominator)), totals.currency, formula,
                  totals.payment_points + points)


def cpm(totals: Totals) -> Figure:
    return _cost_per(totals, "impressions", totals.impressions, totals.impression_posts, 1000)


def cpe(totals: Totals) -> Figure:
    return _cost_per(totals, "engagements", totals.engagements, totals.engagement_posts)


def cpc(totals: Totals) -> Figure:
    return _cost_per(totals, "unique clicks", totals.unique_clicks, totals.clicks)


def cpa(totals: Totals) -> Figure:
    return _cost_per(totals, "conversions", totals.orders - totals.refunded_orders, totals.orders)


def roi(totals: Totals) -> Figure:
    formula = "(revenue − spend) / spend"
    income, cost = revenue(totals), spend(totals)
    points = income.data_points + cost.data_points
    if income.value is None or cost.value is None or not totals.spend_committed:
        return _missing("ratio", formula, points, income.note or cost.note or "spend is 0")
    return Figure(_ratio(totals.revenue_gross - totals.refunds - totals.spend_committed, totals.spend_committed),
                  "ratio", formula, points)


def roas(totals: Totals) -> Figure:
    formula = "revenue / spend"
    income, cost = revenue(totals), spend(totals)
    points = income.data_points + cost.data_points
    if income.value is None or cost.value is None or not totals.spend_committed:
        return _missing("ratio", formula, points, income.note or cost.note or "spend is 0")
    return Figure(_ratio(totals.revenue_gross - totals.refunds, totals.spend_committed), "ratio", formula, points)


def emv(totals: Totals) -> Figure:
    rates = ("the organization's rates" if totals.emv_custom_rates
             else "default rates (set your own: PUT /analytics/emv-rates/{platform})")
    formula = f"Σ over posts of latest metric × per-platform rate, {rates}"
    if totals.emv is None:
        return _missing(totals.currency, formula, 0, "no post reports a rated metric")
    return Figure(_money(totals.emv), totals.currency, formula, totals.emv_posts)


ALL_FIGURES = {"spend": spend, "spend_paid": spend_paid, "revenue": revenue, "roi": roi, "roas": roas,
               "clicks": clicks, "conversions": conversions, "impressions": impressions, "reach": reach,
               "engagements": engagements, "engagement_rate": engagement_rate, "cpm": cpm, "cpe": cpe, "cpc": cpc,
               "cpa": cpa, "emv": emv}


def all_figures(totals: Totals) -> dict[str, Figure]:
    return {name: compute(totals) for name, compute in ALL_FIGURES.items()}
