"""Campaign charts as PNG (matplotlib, Agg backend, no pyplot: figures are local objects, safe in threads).

Each chart takes plain data and returns PNG bytes; an empty input gives a chart that says "no data yet" rather than
an empty axis, so the report never shows a blank frame without a reason.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import dates as mdates  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

CHARTS = ("spend-vs-revenue", "funnel", "top-creators", "engagement-by-platform")
INK, ACCENT, SPEND, MUTED = "#1f2937", "#2563eb", "#f97316", "#9ca3af"


def _figure(title: str, size: tuple[float, float] = (7.5, 3.6)) -> tuple[Figure, Axes]:
    figure = Figure(figsize=size, dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=11, color=INK, fontweight="bold")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=INK, labelsize=8)
    return figure, axes


def _thousands(axes: Axes) -> None:
    axes.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))  # 20,000 rather than 20000


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _no_data(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, fontsize=10,
              transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def spend_vs_revenue(days: Sequence[date], spend: Sequence[Decimal], revenue: Sequence[Decimal],
                     currency: str) -> bytes:
    """Cumulative committed spend and net revenue per day."""
    figure, axes = _figure(f"Spend vs revenue ({currency}, cumulative)")
    if not days:
        _no_data(axes, "no spend or revenue recorded yet")
        return _png(figure)
    total_spend, total_revenue, spent, earned = Decimal(0), Decimal(0), [], []
    for day_spend, day_revenue in zip(spend, revenue, strict=True):
        total_spend += day_spend
        total_revenue += day_revenue
        spent.append(float(total_spend))
        earned.append(float(total_revenue))
    when: Any = list(days)  # matplotlib takes dates; its stubs say numbers
    marker = "o" if len(days) < 15 else None  # a handful of days: show the points, not just a line
    axes.plot(when, spent, color=SPEND, linewidth=2, marker=marker, markersize=4, label="spend (committed)")
    axes.plot(when, earned, color=ACCENT, linewidth=2, marker=marker, markersize=4, label="revenue (net of refunds)")
    axes.fill_between(when, earned, spent, where=[e >= s for e, s in zip(earned, spent, strict=True)],
                      color=ACCENT, alpha=0.08, interpolate=True)
    axes.legend(frameon=False, fontsize=8, loc="best")
    locator = mdates.AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    # day and month on every tick: a concise formatter labelled a November-to-December run "2026-Dec"
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    if len(days) == 1:
        axes.set_xlim(when[0] - timedelta(days=1), when[0] + timedelta(days=1))
    axes.set_ylim(bottom=0)
    _thousands(axes)
    return _png(figure)


def funnel(steps: Sequence[tuple[str, int]]) -> bytes:
    figure, axes = _figure("Outreach funnel (creators reaching each step)", (7.5, 4.0))
    if not any(count for _, count in steps):
        _no_data(axes, "no outreach recorded yet")
        return _png(figure)
    labels = [label for label, _ in steps][::-1]
    counts = [count for _, count in steps][::-1]
    bars = axes.barh(labels, counts, color=ACCENT)
    top = max(counts) or 1
    for bar, count in zip(bars, counts, strict=True):
        axes.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, str(count),
                  va="center", fontsize=8, color=INK)
    axes.set_xlim(0, top * 1.12)
    axes.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))  # creators: whole numbers
    return _png(figure)


def top_creators(rows: Sequence[tuple[str, Decimal]]) -> bytes:
    """(creator, ROI) pairs, best first; negative ROI drawn in the spend colour."""
    figure, axes = _figure("Top creators by ROI")
    if not rows:
        _no_data(axes, "no creator has both spend and revenue yet")
        return _png(figure)
    names = [name for name, _ in rows][::-1]
    values = [float(value) * 100 for _, value in rows][::-1]
    axes.barh(names, values, height=0.6, color=[ACCENT if value >= 0 else SPEND for value in values])
    axes.axvline(0, color=MUTED, linewidth=0.8)
    axes.set_xlabel("ROI, %", fontsize=8, color=INK)
    return _png(figure)


def engagement_by_platform(rows: Sequence[tuple[str, int, Decimal | None]]) -> bytes:
    """(platform, engagements, engagement rate or None) per platform."""
    figure, axes = _figure("Engagement by platform")
    if not rows:
        _no_data(axes, "no post metrics recorded yet")
        return _png(figure)
    names = [name for name, _, _ in rows]
    bars = axes.bar(names, [count for _, count, _ in rows], color=ACCENT, width=0.35)
    for bar, (_, _, rate) in zip(bars, rows, strict=True):
        label = f"ER {float(rate) * 100:.1f}%" if rate is not None else "ER n/a"
        axes.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), label, ha="center",
                  va="bottom", fontsize=8, color=INK)
    axes.set_ylabel("engagements (latest readings)", fontsize=8, color=INK)
    axes.set_xlim(-0.75, len(names) - 0.25)  # one platform: a bar, not a wall across the whole chart
    _thousands(axes)
    return _png(figure)
