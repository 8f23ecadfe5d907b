"""Conversion tracking: `GET /r/{code}` (the short link redirect), the conversion webhooks (generic signed JSON and
Shopify), and a campaign's tracked links and promo codes.

The redirect never writes to Postgres and never waits for Redis: it resolves the code (cached), queues the click for
the Redis buffer and answers 302; the click flusher records it. Webhooks check the HMAC over the raw body before
parsing anything (401 otherwise). `POST /analytics/orders/import` backfills an order history by the same rules.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse

from api.deps import ManagerDep, SessionDep
from api.schemas.analytics import (
    ConversionReceipt,
    OrderImportOut,
    PromoCodeIn,
    PromoCodeOut,
    TrackedLinkIn,
    TrackedLinkOut,
    errors,
)
from core.errors import InvalidInput, NotFound, ServiceUnavailable, Unauthorized
from core.settings import ConfigurationError, get_settings
from store.analytics.click_ids import click_token, new_click_id
from store.analytics.clicks import buffer_click, click_record
from store.analytics.conversions import OrderReport, Recorded, record_order, record_refund
from store.analytics.links import LinkService
from store.analytics.metrics_import import read_rows
from store.analytics.redirects import forget, resolve, tagged_url, with_click
from store.campaigns.repository import CampaignRepository
from store.models import Campaign, Organization, TrackedLink
from tools.analytics.conversion_formats import parse_generic, parse_shopify
from tools.analytics.order_import import Source, import_orders
from tools.analytics.signatures import (
    GENERIC_HEADER,
    SHOPIFY_HEADER,
    SHOPIFY_TOPIC_HEADER,
    generic_valid,
    shopify_valid,
)

router = APIRouter(tags=["analytics"])
Code = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9]+$")]


@router.get("/r/{code}", status_code=302, response_class=RedirectResponse,
            responses={302: {"description": "to the brand's URL with UTM parameters and `ic_click`"},
                       **errors(404)})
async def redirect(code: Code, request: Request) -> RedirectResponse:
    target = await resolve(code)
    if target is None:
        raise NotFound("Unknown link", code="link_not_found")
    now = datetime.now(UTC)
    click_id = new_click_id(now)
    ip = request.client.host if request.client else ""
    buffer_click(click_record(target, click_id, ip, request.headers.get("user-agent", ""), now))
    return RedirectResponse(with_click(target.url, click_token(target.code, click_id)), status_code=302,
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def _secret(read: Any) -> str:
    try:
        return str(read())
    except ConfigurationError as exc:
        raise ServiceUnavailable(f"webhook not configured: {exc}", code="webhook_not_configured") from exc


async def _organization(session: SessionDep, organization_id: uuid.UUID) -> uuid.UUID:
    if await session.get(Organization, organization_id) is None:
        raise NotFound("Unknown organization", code="organization_not_found")
    return organization_id


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise InvalidInput("The body is not valid JSON", code="invalid_json") from exc


async def _record(session: SessionDep, organization_id: uuid.UUID, report: Any) -> ConversionReceipt:
    recorded: Recorded = await (record_order(session, organization_id, report) if isinstance(report, OrderReport)
                                else record_refund(session, organization_id, report))
    return ConversionReceipt(status=recorded.status, order_id=recorded.order_id,  # type: ignore[arg-type]
                             attributed_by=recorded.attributed_by, campaign_id=recorded.campaign_id,
                             creator_id=recorded.creator_id)


@router.post("/webhooks/conversions/{organization_id}", response_model=ConversionReceipt, tags=["webhooks"],
             responses=errors(400, 401, 404, 422, 503))
async def conversion_webhook(organization_id: uuid.UUID, request: Request, session: SessionDep) -> Any:
    """A signed order or refund (`X-Influency-Signature: sha256=<hex HMAC-SHA256 of the body>`)."""
    body = await request.body()
    if not generic_valid(body, request.headers.get(GENERIC_HEADER), _secret(get_settings().conversion_webhook_secret)):
        raise Unauthorized(f"Missing or invalid {GENERIC_HEADER}", code="invalid_signature",
                           headers={"WWW-Authenticate": GENERIC_HEADER})
    await _organization(session, organization_id)
    return await _record(session, organization_id, parse_generic(_json(body)))


@router.post("/webhooks/shopify/{organization_id}", response_model=ConversionReceipt, tags=["webhooks"],
             responses=errors(400, 401, 404, 422, 503))
async def shopify_webhook(organization_id: uuid.UUID, request: Request, session: SessionDep) -> Any:
    """Shopify `orders/create` and `refunds/create` (topic in `X-Shopify-Topic`, `X-Shopify-Hmac-Sha256` checked)."""
    body = await request.body()
    if not shopify_valid(body, request.headers.get(SHOPIFY_HEADER), _secret(get_settings().shopify_webhook_secret)):
        raise Unauthorized(f"Missing or invalid {SHOPIFY_HEADER}", code="invalid_signature",
                           headers={"WWW-Authenticate": SHOPIFY_HEADER})
    await _organization(session, organization_id)
    return await _record(session, organization_id, parse_shopify(request.headers.get(SHOPIFY_TOPIC_HEADER),
                                                                 _json(body)))


@router.post("/analytics/orders/import", response_model=OrderImportOut, responses=errors(400, 401, 403, 422))
async def import_order_history(principal: ManagerDep, session: SessionDep,
                               file: Annotated[UploadFile, File(description="CSV or JSON (a list or {orders: []})")],
                               source: Annotated[Source, Query(description="shopify: Shopify order ids")] = "generic",
                               ) -> Any:
    """Backfill: an export of past orders (columns of the generic conversion format), attributed set-wise by the
    webhook's rules. Every row is checked first; any invalid row stops the import (422 with a row-level report)."""
    content = await file.read(get_settings().MAX_UPLOAD_BYTES + 1)
    if len(content) > get_settings().MAX_UPLOAD_BYTES:
        raise InvalidInput("The file is too large", code="import_too_large")
    report = await import_orders(session, principal.organization_id,  # type: ignore[arg-type]
                                 read_rows(content, file.filename or "", key="orders"), source)
    result = OrderImportOut.model_validate(report, from_attributes=True)
    if report.errors:
        raise InvalidInput(f"{len(report.errors)} invalid row(s): nothing was imported", code="invalid_rows",
                           details=result.model_dump(mode="json"))
    return result


async def _campaign(session: SessionDep, principal: ManagerDep, campaign_id: uuid.UUID) -> Campaign:
    campaign = await CampaignRepository(session).get(principal.organization_id, campaign_id)
    if campaign is None:
        raise NotFound("Campaign not found", code="campaign_not_found")
    return campaign


def link_out(link: TrackedLink) -> TrackedLinkOut:
    return TrackedLinkOut(id=link.id, campaign_id=link.campaign_id, creator_id=link.creator_id, code=link.code,
                          short_url=f"{get_settings().tracking_base_url}/r/{link.code}",
                          destination_url=link.destination_url, tagged_url=tagged_url(link))


@router.post("/campaigns/{campaign_id}/links", response_model=TrackedLinkOut, tags=["analytics"],
             responses=errors(400, 401, 403, 404, 422))
async def create_link(campaign_id: uuid.UUID, body: TrackedLinkIn, principal: ManagerDep,
                      session: SessionDep) -> Any:
    """The creator's tracked link for this campaign (one per creator; posting again changes its destination)."""
    campaign = await _campaign(session, principal, campaign_id)
    link = await LinkService(session).link_for(campaign, body.creator_id, str(body.destination_url), body.utm_content)
    forget(link.code)
    return link_out(link)


@router.get("/campaigns/{campaign_id}/links", response_model=list[TrackedLinkOut], responses=errors(401, 403, 404))
async def list_links(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    campaign = await _campaign(session, principal, campaign_id)
    return [link_out(link) for link in await LinkService(session).links(campaign.id)]


@router.post("/campaigns/{campaign_id}/promo-codes", response_model=PromoCodeOut, status_code=201,
             responses=errors(400, 401, 403, 404, 409, 422))
async def create_promo_code(campaign_id: uuid.UUID, body: PromoCodeIn, principal: ManagerDep,
                            session: SessionDep) -> Any:
    campaign = await _campaign(session, principal, campaign_id)
    promo = await LinkService(session).add_promo_code(campaign, body.creator_id, body.code, body.description)
    return PromoCodeOut.model_validate(promo, from_attributes=True)


@router.get("/campaigns/{campaign_id}/promo-codes", response_model=list[PromoCodeOut],
            responses=errors(401, 403, 404))
async def list_promo_codes(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    campaign = await _campaign(session, principal, campaign_id)
    return [PromoCodeOut.model_validate(code, from_attributes=True)
            for code in await LinkService(session).promo_codes(campaign.id)]
