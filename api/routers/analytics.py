"""Analytics: a campaign's figures, the organization's campaigns, creators and revenue, a time series, the outreach
funnel, a creator's own performance, EMV rates; tracking, post metrics and reports come from the sibling routers.

Managers see their organization only (another organization's campaign is 404); a creator sees their own rows.
Tables answer JSON, or CSV with `Accept: text/csv` / `?format=csv`.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import TypeAdapter
from sqlalchemy import func, select

from api.analytics_csv import CSV_RESPONSE, Format, csv_response, wants_csv
from api.deps import CreatorDep, ManagerDep, SessionDep
from api.pagination import Pagination, pagination
from api.routers import analytics_posts, analytics_reports, analytics_tracking
from api.routers.analytics_tracking import link_out
from api.schemas.analytics import (
    CampaignAnalyticsOut,
    CampaignAnalyticsPage,
    CreatorAnalyticsOut,
    CreatorAnalyticsPage,
    CurrencyRevenueOut,
    EmvRatesIn,
    EmvRatesOut,
    FunnelOut,
    MyAnalyticsOut,
    PointOut,
    PromoCodeOut,
    RevenueOut,
    TimeseriesOut,
    errors,
)
from core.errors import NotFound
from store.analytics.emv import PLATFORMS, rates_for, set_rates
from store.analytics.funnel import FunnelService
from store.analytics.links import LinkService
from store.analytics.service import AnalyticsService, CampaignFigures, CreatorFigures
from store.analytics.timeseries import MONEY_METRICS, Metric
from store.models import Creator, Order

router = APIRouter(tags=["analytics"])
router.include_router(analytics_tracking.router)
router.include_router(analytics_posts.router)
router.include_router(analytics_reports.router)
AnalyticsPage = Annotated[Pagination, Depends(pagination(max_limit=500))]
FormatQuery = Annotated[Format | None, Query(description="csv for a CSV export (or send Accept: text/csv)")]
READ_ERRORS = {**CSV_RESPONSE, **errors(401, 403, 404, 422)}


# Read from the dataclasses' attributes: `asdict` deep-copies every figure and was most of a page's cost.
def campaign_out(item: CampaignFigures) -> CampaignAnalyticsOut:
    return CampaignAnalyticsOut.model_validate(item, from_attributes=True)


def creator_out(item: CreatorFigures) -> CreatorAnalyticsOut:
    return CreatorAnalyticsOut.model_validate(item, from_attributes=True)


# The figures are built by our own code, typed: a page is serialized straight from its dataclasses (pydantic's
# serializer, the same JSON as the response model's) instead of being validated into models first.
_CAMPAIGN = TypeAdapter(CampaignFigures)
_CAMPAIGN_ITEMS = TypeAdapter(list[CampaignFigures])
_CREATOR_ITEMS = TypeAdapter(list[CreatorFigures])


def page_json(adapter: TypeAdapter[Any], items: list[Any], total: int, limit: int, offset: int) -> Response:
    body = b'{"items":%b,"total":%d,"limit":%d,"offset":%d}' % (adapter.dump_json(items), total, limit, offset)
    return Response(body, media_type="application/json")


@router.get("/campaigns/{campaign_id}/analytics", response_model=CampaignAnalyticsOut, responses=READ_ERRORS)
async def campaign_analytics(campaign_id: uuid.UUID, request: Request, principal: ManagerDep, session: SessionDep,
                             format: FormatQuery = None) -> Any:
    figures = await AnalyticsService(session).campaign(principal.organization_id, campaign_id)
    if wants_csv(request, format):
        result = campaign_out(figures)
        return csv_response([result, *result.top_creators], f"campaign-{campaign_id}-analytics")
    return Response(_CAMPAIGN.dump_json(figures), media_type="application/json")


@router.get("/analytics/campaigns", response_model=CampaignAnalyticsPage, responses=READ_ERRORS)
async def campaigns_analytics(request: Request, principal: ManagerDep, session: SessionDep, paging: AnalyticsPage,
                              format: FormatQuery = None) -> Any:
    limit, offset = paging.limit, paging.offset
    items, total = await AnalyticsService(session).campaigns_page(principal.organization_id, limit, offset)
    if wants_csv(request, format):
        return csv_response([campaign_out(item) for item in items], "campaigns-analytics")
    return page_json(_CAMPAIGN_ITEMS, items, total, limit, offset)


@router.get("/analytics/creators", response_model=CreatorAnalyticsPage, responses=READ_ERRORS)
async def creators_analytics(request: Request, principal: ManagerDep, session: SessionDep,
                             paging: AnalyticsPage, campaign_id: Annotated[uuid.UUID | None, Query()] = None,
                             format: FormatQuery = None) -> Any:
    """One row per creator × campaign (each in its campaign's currency), highest revenue first."""
    limit, offset = paging.limit, paging.offset
    items, total = await AnalyticsService(session).creators_page(principal.organization_id, campaign_id=campaign_id,
                                                                 limit=limit, offset=offset)
    if wants_csv(request, format):
        return csv_response([creator_out(item) for item in items], "creators-analytics")
    return page_json(_CREATOR_ITEMS, items, total, limit, offset)


@router.get("/analytics/revenue", response_model=RevenueOut, responses=READ_ERRORS)
async def revenue(request: Request, principal: ManagerDep, session: SessionDep, format: FormatQuery = None) -> Any:
    rows = await AnalyticsService(session).revenue(principal.organization_id)
    unattributed = (await session.execute(select(func.count()).select_from(Order).where(
        Order.organization_id == principal.organization_id, Order.campaign_id.is_(None)))).scalar_one()
    result = RevenueOut(by_currency=[CurrencyRevenueOut.model_validate(asdict(row)) for row in rows],
                        unattributed_orders=unattributed)
    return csv_response(result.by_currency, "revenue") if wants_csv(request, format) else result


@router.get("/campaigns/{campaign_id}/analytics/timeseries", response_model=TimeseriesOut, responses=READ_ERRORS)
async def timeseries(campaign_id: uuid.UUID, request: Request, principal: ManagerDep, session: SessionDep,
                     metric: Annotated[Metric, Query()] = "clicks",
                     interval: Annotated[Literal["day", "week"], Query()] = "day", format: FormatQuery = None) -> Any:
    currency, points = await AnalyticsService(session).timeseries(principal.organization_id, campaign_id, metric,
                                                                  interval)
    result = TimeseriesOut(campaign_id=campaign_id, metric=metric, interval=interval,
                           unit=currency if metric in MONEY_METRICS else "count",
                           points=[PointOut.model_validate(asdict(point)) for point in points])
    return csv_response(result.points, f"timeseries-{metric}") if wants_csv(request, format) else result


@router.get("/campaigns/{campaign_id}/analytics/funnel", response_model=FunnelOut, responses=READ_ERRORS)
async def funnel(campaign_id: uuid.UUID, request: Request, principal: ManagerDep, session: SessionDep,
                 format: FormatQuery = None) -> Any:
    campaign = await AnalyticsService(session).campaign_row(principal.organization_id, campaign_id)
    result = FunnelOut.model_validate(asdict(await FunnelService(session).funnel(campaign)))
    return csv_response(result.steps, f"funnel-{campaign_id}") if wants_csv(request, format) else result


@router.get("/creators/me/analytics", response_model=MyAnalyticsOut, tags=["creator campaigns"],
            responses=errors(401, 403, 404))
async def my_analytics(principal: CreatorDep, session: SessionDep) -> Any:
    creator = (await session.execute(select(Creator).where(Creator.user_id == principal.id))).scalar_one_or_none()
    if creator is None:
        raise NotFound("No creator profile for this account", code="creator_not_found")
    links = LinkService(session)
    return MyAnalyticsOut(
        campaigns=[creator_out(item) for item in await AnalyticsService(session).for_creator(creator.id)],
        links=[link_out(link) for link in await links.links_of_creator(creator.id)],
        promo_codes=[PromoCodeOut.model_validate(code, from_attributes=True)
                     for code in await links.promo_codes_of_creator(creator.id)])


@router.get("/analytics/emv-rates", response_model=list[EmvRatesOut], responses=errors(401, 403))
async def emv_rates(principal: ManagerDep, session: SessionDep) -> Any:
    rates = await rates_for(session, principal.organization_id)  # type: ignore[arg-type]
    return [EmvRatesOut(platform=item.platform, currency=item.currency, rates=item.rates, custom=item.custom)
            for item in rates.values()]


@router.put("/analytics/emv-rates/{platform}", response_model=EmvRatesOut,
            responses=errors(400, 401, 403, 422))
async def put_emv_rates(platform: Annotated[str, Path(pattern=f"^({'|'.join(PLATFORMS)})$")], body: EmvRatesIn,
                        principal: ManagerDep, session: SessionDep) -> Any:
    item = await set_rates(session, principal.organization_id, platform, body.currency,  # type: ignore[arg-type]
                           body.decimal_rates())
    return EmvRatesOut(platform=item.platform, currency=item.currency, rates=item.rates, custom=item.custom)
