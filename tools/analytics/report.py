"""A campaign's report: the key figures (each with what it rests on), spend vs revenue over time, the outreach funnel,
top creators by ROI and engagement by platform — as PNG charts and as a PDF through the contracts' document pipeline
(`tools.documents.pdf`: same fonts, page layout and footer)."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from store.analytics.figures import Figure
from store.analytics.funnel import Funnel, FunnelService
from store.analytics.repository import RollupRepository
from store.analytics.service import AnalyticsService, CampaignFigures
from tools.analytics import charts
from tools.documents.pdf import _Document

LABELS = {"spend": "Spend (committed)", "spend_paid": "Spend (paid)", "revenue": "Revenue (net of refunds)",
          "roi": "ROI", "roas": "ROAS", "clicks": "Unique clicks", "conversions": "Conversions", "cpc": "CPC",
          "cpa": "CPA", "impressions": "Impressions", "reach": "Reach", "engagements": "Engagements",
          "engagement_rate": "Engagement rate", "cpm": "CPM", "cpe": "CPE", "emv": "Earned media value"}


@dataclass(frozen=True)
class ReportData:
    campaign: CampaignFigures
    funnel: Funnel
    days: list[date]
    spend: list[Decimal]
    revenue: list[Decimal]


async def report_data(session: AsyncSession, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> ReportData:
    service = AnalyticsService(session)
    campaign = await service.campaign(organization_id, campaign_id, top=8)
    funnel = await FunnelService(session).funnel(await service.campaign_row(organization_id, campaign_id))
    per_day: dict[date, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in await RollupRepository(session).daily(campaign_id):
        per_day[row.day][0] += row.spend_committed
        per_day[row.day][1] += row.revenue
    days = sorted(per_day)
    return ReportData(campaign, funnel, days, [per_day[day][0] for day in days], [per_day[day][1] for day in days])


def render_chart(data: ReportData, name: str) -> bytes:
    if name == "spend-vs-revenue":
        return charts.spend_vs_revenue(data.days, data.spend, data.revenue, data.campaign.currency)
    if name == "funnel":
        return charts.funnel([(step.step, step.creators) for step in data.funnel.steps])
    if name == "top-creators":
        ranked = sorted(((item.creator_name, item.figures["roi"].value) for item in data.campaign.top_creators
                         if isinstance(item.figures["roi"].value, Decimal)), key=lambda pair: pair[1], reverse=True)
        return charts.top_creators(ranked[:8])  # type: ignore[arg-type]
    if name == "engagement-by-platform":
        rows = [(platform, int(values.get("engagements", 0)),
                 (Decimal(values["rate_engagements"]) / Decimal(values["rate_audience"])
                  if values.get("rate_audience") else None))
                for platform, values in data.campaign.platforms.items() if values.get("engagements") is not None]
        return charts.engagement_by_platform(rows)
    raise NotFound(f"Unknown chart {name!r}: use one of {', '.join(charts.CHARTS)}", code="chart_not_found")


def format_figure(name: str, figure: Figure) -> str:
    if figure.value is None:
        return f"n/a ({figure.note})" if figure.note else "n/a"
    if name == "roas":
        return f"{Decimal(figure.value):.2f}× (revenue per unit of spend)"
    if figure.unit == "ratio":
        return f"{Decimal(figure.value) * 100:.1f}%"
    if figure.unit == "count":
        return f"{int(figure.value):,}"
    return f"{figure.unit} {Decimal(figure.value):,.2f}"


def render_pdf(data: ReportData, issued_on: date | None = None) -> bytes:
    campaign = data.campaign
    issued = issued_on or datetime.now(UTC).date()
    document = _Document(title=f"Campaign report: {campaign.name}", subject="Campaign analytics",
                         author="Influency", issued_on=issued,
                         footer=f"{campaign.name} · campaign report · {issued.isoformat()}")
    document.heading(f"Campaign report: {campaign.name}", size=18)
    budget = campaign.budget.format() if campaign.budget else "not set"
    # two short lines: the document pipeline justifies wrapped paragraphs, which spread a wrapped header line out
    document.paragraph(f"Status {campaign.status} · reporting currency {campaign.currency} · budget {budget}",
                       size=9, gap=0)
    document.paragraph(f"{campaign.creators} creator(s) with data · generated {issued.isoformat()}", size=9)
    document.pairs([(LABELS[name], format_figure(name, figure)) for name, figure in campaign.figures.items()],
                   label_width=55)
    document.image(io.BytesIO(render_chart(data, "spend-vs-revenue")), w=170)
    document.add_page()
    document.heading("Outreach and creators", size=14)
    savings = data.funnel.savings
    if savings.saved is not None:
        document.paragraph(f"Negotiation savings: {savings.currency} {savings.saved:,.2f} on {savings.negotiations} "
                           f"agreed deal(s) (first asks {savings.first_ask_total:,.2f}, agreed "
                           f"{savings.agreed_total:,.2f}).", size=9)
    drafts = data.funnel.drafts
    document.paragraph(f"Agent drafts in the approval queue: {drafts['drafted']} written, {drafts['approved']} "
                       f"approved ({drafts['edited']} edited), {drafts['rejected']} rejected. The funnel counts a "
                       "creator at every step before the furthest one reached (an invite sent by hand has no "
                       "draft).", size=9)
    for name in ("funnel", "top-creators", "engagement-by-platform"):
        document.image(io.BytesIO(render_chart(data, name)), w=150)
    document.add_page()
    document.heading("How these figures are computed", size=14)
    for name, figure in campaign.figures.items():
        document.paragraph(f"{LABELS[name]}: {figure.formula}; {figure.data_points} data point(s)"
                           + (f"; {figure.note}" if figure.note else "") + ".", size=8.5, gap=1)
    return document.to_bytes()


async def chart_png(session: AsyncSession, organization_id: uuid.UUID | None, campaign_id: uuid.UUID,
                    name: str) -> bytes:
    if name not in charts.CHARTS:
        raise NotFound(f"Unknown chart {name!r}: use one of {', '.join(charts.CHARTS)}", code="chart_not_found")
    data = await report_data(session, organization_id, campaign_id)
    return await asyncio.to_thread(render_chart, data, name)


async def report_pdf(session: AsyncSession, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> bytes:
    data = await report_data(session, organization_id, campaign_id)
    return await asyncio.to_thread(render_pdf, data)
