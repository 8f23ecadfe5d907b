"""Post metrics: a campaign's posts (registered by the manager, the creator, or picked up from submitted
deliverables), manual readings (a manager's, or a creator's own marked self-reported), their time series, and
CSV/JSON import of an agency's export with a row-level report (422 and nothing written when a row is invalid)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile
from sqlalchemy import select

from api.deps import CreatorDep, ManagerDep, SessionDep
from api.schemas.analytics import (
    MetricsImportOut,
    MyPostIn,
    PostIn,
    PostOut,
    SnapshotIn,
    SnapshotOut,
    errors,
)
from core.errors import InvalidInput, NotFound
from core.settings import get_settings
from store.analytics.links import LinkService
from store.analytics.metrics_import import import_metrics, read_rows
from store.analytics.posts import PostService, Reading
from store.campaigns.repository import CampaignRepository
from store.models import Campaign, Creator, MetricSnapshot, Post
from store.models.metric_snapshot import METRIC_FIELDS

router = APIRouter(tags=["analytics"])


def snapshot_out(snapshot: MetricSnapshot) -> SnapshotOut:
    return SnapshotOut.model_validate(snapshot, from_attributes=True)


def post_out(post: Post, latest: MetricSnapshot | None) -> PostOut:
    data = {name: getattr(post, name) for name in PostOut.model_fields if name != "latest"}
    return PostOut(**data, latest=snapshot_out(latest) if latest else None)


def _reading(body: SnapshotIn) -> Reading:
    return Reading({name: getattr(body, name) for name in METRIC_FIELDS}, body.captured_at)


async def _campaign(session: SessionDep, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> Campaign:
    campaign = await CampaignRepository(session).get(organization_id, campaign_id)
    if campaign is None:
        raise NotFound("Campaign not found", code="campaign_not_found")
    return campaign


async def _my_creator(session: SessionDep, user_id: uuid.UUID) -> Creator:
    creator = (await session.execute(select(Creator).where(Creator.user_id == user_id))).scalar_one_or_none()
    if creator is None:
        raise NotFound("No creator profile for this account", code="creator_not_found")
    return creator


@router.post("/campaigns/{campaign_id}/posts", response_model=PostOut, status_code=201,
             responses=errors(400, 401, 403, 404, 422))
async def register_post(campaign_id: uuid.UUID, body: PostIn, principal: ManagerDep, session: SessionDep) -> Any:
    campaign = await _campaign(session, principal.organization_id, campaign_id)
    await LinkService(session).ensure_participant(campaign, body.creator_id)
    post = await PostService(session).register(campaign.organization_id, campaign.id, body.creator_id, str(body.url),
                                               external_id=body.external_id, published_at=body.published_at)
    return post_out(post, None)


@router.get("/campaigns/{campaign_id}/posts", response_model=list[PostOut], responses=errors(401, 403, 404))
async def list_posts(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    campaign = await _campaign(session, principal.organization_id, campaign_id)
    service = PostService(session)
    posts = await service.posts(campaign_id=campaign.id)
    latest = await service.latest([post.id for post in posts])
    return [post_out(post, latest.get(post.id)) for post in posts]


@router.post("/posts/{post_id}/metrics", response_model=SnapshotOut, status_code=201,
             responses=errors(400, 401, 403, 404, 422))
async def add_metrics(post_id: uuid.UUID, body: SnapshotIn, principal: ManagerDep, session: SessionDep) -> Any:
    service = PostService(session)
    post = await service.get(principal.organization_id, post_id)
    return snapshot_out(await service.record(post, _reading(body), source="manual", entered_by_id=principal.id))


@router.get("/posts/{post_id}/metrics", response_model=list[SnapshotOut], responses=errors(401, 403, 404))
async def list_metrics(post_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    post = await PostService(session).get(principal.organization_id, post_id)
    rows = await session.execute(select(MetricSnapshot).where(MetricSnapshot.post_id == post.id)
                                 .order_by(MetricSnapshot.captured_at))
    return [snapshot_out(snapshot) for snapshot in rows.scalars()]


@router.post("/campaigns/{campaign_id}/metrics/import", response_model=MetricsImportOut,
             responses=errors(400, 401, 403, 404, 422))
async def import_file(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep,
                      file: Annotated[UploadFile, File(description="CSV or JSON export")]) -> Any:
    campaign = await _campaign(session, principal.organization_id, campaign_id)
    content = await file.read(get_settings().MAX_UPLOAD_BYTES + 1)
    if len(content) > get_settings().MAX_UPLOAD_BYTES:
        raise InvalidInput("The file is too large", code="import_too_large")
    report = await import_metrics(PostService(session), campaign, read_rows(content, file.filename or ""),
                                  principal.id)
    result = MetricsImportOut.model_validate(report, from_attributes=True)
    if report.errors:
        raise InvalidInput(f"{len(report.errors)} invalid row(s): nothing was imported", code="invalid_rows",
                           details=result.model_dump(mode="json"))
    return result


@router.post("/creators/me/campaigns/{campaign_id}/posts", response_model=PostOut, status_code=201,
             tags=["creator campaigns"], responses=errors(400, 401, 403, 404, 422))
async def register_my_post(campaign_id: uuid.UUID, body: MyPostIn, principal: CreatorDep,
                           session: SessionDep) -> Any:
    creator = await _my_creator(session, principal.id)
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.deleted_at is not None:
        raise NotFound("Campaign not found", code="campaign_not_found")
    try:
        await LinkService(session).ensure_participant(campaign, creator.id)
    except InvalidInput as exc:
        raise NotFound("Campaign not found", code="campaign_not_found") from exc
    post = await PostService(session).register(campaign.organization_id, campaign.id, creator.id, str(body.url),
                                               external_id=body.external_id, published_at=body.published_at)
    return post_out(post, None)


@router.post("/creators/me/posts/{post_id}/metrics", response_model=SnapshotOut, status_code=201,
             tags=["creator campaigns"], responses=errors(400, 401, 403, 404, 422))
async def add_my_metrics(post_id: uuid.UUID, body: SnapshotIn, principal: CreatorDep, session: SessionDep) -> Any:
    """A creator's own reading (e.g. from their app's insights): kept, and marked self-reported."""
    creator = await _my_creator(session, principal.id)
    service = PostService(session)
    post = await service.for_creator(creator.id, post_id)
    return snapshot_out(await service.record(post, _reading(body), source="manual", self_reported=True,
                                             entered_by_id=principal.id))
