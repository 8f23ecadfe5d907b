"""/creators: the directory (list, profile, search) for managers; self-service profile and portfolio for creators."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile, status

from api.deps import CreatorDep, ManagerDep, Principal, PrincipalDep, SessionDep
from api.files import user_file_response
from api.pagination import Pagination, pagination
from api.schemas.creators import (
    CreatorOut,
    CreatorPageOut,
    CreatorUpdateIn,
    EmailConfirmedOut,
    MyCreatorOut,
    PortfolioItemOut,
    SearchResultOut,
)
from core.settings import get_settings
from store.creators.email_change import confirm_email_change
from store.creators.search import MAX_LIMIT, MAX_OFFSET, SearchFilters
from store.creators.service import MAX_LIST_OFFSET, MAX_PAGE, CreatorService, Viewer
from store.models import Creator, UserRole
from tools.creator_search import search_creators
from tools.storage import get_storage
from tools.storage.portfolio import upload_portfolio_item

router = APIRouter(prefix="/creators", tags=["creators"])
DirectoryPage = Annotated[Pagination, Depends(pagination(default_limit=20, max_limit=MAX_PAGE,
                                                         max_offset=MAX_LIST_OFFSET))]
SearchPage = Annotated[Pagination, Depends(pagination(default_limit=20, max_limit=MAX_LIMIT, max_offset=MAX_OFFSET))]


def _viewer(principal: Principal) -> Viewer:
    return Viewer(principal.id, principal.organization_id, is_admin=principal.role == UserRole.admin,
                  is_creator=principal.role == UserRole.creator)


async def _profile(service: CreatorService, creator: Creator, out: type[CreatorOut] = CreatorOut) -> CreatorOut:
    return out.model_validate(creator).model_copy(update={
        "portfolio": [PortfolioItemOut.model_validate(item) for item in await service.portfolio(creator)]})


@router.get("/", response_model=CreatorPageOut)
async def list_creators(principal: ManagerDep, session: SessionDep, page: DirectoryPage,
                        sort: str = "-created_at") -> Any:
    """The directory plus your organization's prospects. `sort`: created_at, followers, engagement,
    display_name or min_rate; prefix '-' for descending."""
    return await CreatorService(session).list_page(_viewer(principal), sort=sort, limit=page.limit,
                                                   offset=page.offset)


@router.get("/search", response_model=list[SearchResultOut])
async def search(
    principal: ManagerDep, session: SessionDep, page: SearchPage,
    query: Annotated[str | None, Query(max_length=500, description="what you look for, in words")] = None,
    platform: str | None = None, min_followers: int | None = None, max_followers: int | None = None,
    min_engagement: Annotated[float | None, Query(description="percent")] = None,
    country: str | None = None, category: str | None = None, language: str | None = None,
    max_rate: Annotated[float | None, Query(description="cheapest deliverable at most this, in `currency`")] = None,
    currency: Annotated[str | None, Query(description="currency of max_rate (default USD)")] = None,
) -> Any:
    """Semantic + keyword search under hard filters. Followers and engagement apply to `platform` when given,
    else to the creator's largest platform. Every result passes every filter; an empty result is `[]`."""
    filters = SearchFilters(platform=platform, min_followers=min_followers, max_followers=max_followers,
                            min_engagement=min_engagement, country=country, category=category, language=language,
                            max_rate=max_rate, currency=currency)
    matches = await search_creators(session, query, filters, limit=page.limit, offset=page.offset,
                                    organization_id=principal.organization_id)
    return [SearchResultOut(creator=match.creator, score=match.score, similarity=match.similarity,  # type: ignore[arg-type]
                            explanation=match.explanation) for match in matches]


@router.get("/me", response_model=MyCreatorOut)
async def my_profile(principal: CreatorDep, session: SessionDep) -> Any:
    service = CreatorService(session)
    return await _profile(service, await service.my_profile(principal.id), MyCreatorOut)


@router.put("/me", response_model=MyCreatorOut)
async def update_my_profile(body: CreatorUpdateIn, principal: CreatorDep, session: SessionDep) -> Any:
    """Change the fields sent. A new `email` is not used until confirmed: the response shows it as
    `pending_email`, and a confirmation link goes to that address."""
    service = CreatorService(session)
    return await _profile(service, await service.update_my_profile(principal.id, body.changes()), MyCreatorOut)


_CONFIRM_RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "unknown, used or superseded link"},
                                                       409: {"description": "another account signs in with it"},
                                                       410: {"description": "expired link"}}


@router.get("/me/email/confirm", response_model=EmailConfirmedOut, responses=_CONFIRM_RESPONSES)
async def confirm_email(token: Annotated[str, Query(min_length=20, max_length=100)], session: SessionDep) -> Any:
    """Confirm a new email (the link mailed to it after `PUT /creators/me`); no login needed: the link is the
    proof that its owner reads that address. From now on it is the profile's `email`."""
    return EmailConfirmedOut(email=(await confirm_email_change(session, token)).email or "")


@router.post("/me/email/confirm", response_model=EmailConfirmedOut, responses=_CONFIRM_RESPONSES)
async def confirm_email_by_post(token: Annotated[str, Query(min_length=20, max_length=100)],
                                session: SessionDep) -> Any:
    """The same confirmation, for clients that follow the link with a POST."""
    return await confirm_email(token, session)


@router.post("/me/portfolio", response_model=PortfolioItemOut, status_code=status.HTTP_201_CREATED)
async def add_portfolio_item(principal: CreatorDep, session: SessionDep, file: Annotated[UploadFile, File()],
                             title: Annotated[str, Form(max_length=200)] = "") -> Any:
    """Upload an image (JPEG, PNG, WebP, GIF), an MP4 video or a PDF, up to MAX_UPLOAD_BYTES, within the creator's
    CREATOR_STORAGE_QUOTA_BYTES (413). Images must decode, within MAX_IMAGE_PIXELS, with nothing appended; PDFs
    must carry no active content (JavaScript, open/additional/launch actions): 422 otherwise."""
    data = await file.read(get_settings().MAX_UPLOAD_BYTES + 1)
    return await upload_portfolio_item(session, get_storage(), principal.id, data=data,
                                       filename=file.filename or "", declared_type=file.content_type, title=title)


@router.get("/{creator_id}", response_model=CreatorOut)
async def get_creator(creator_id: uuid.UUID, principal: PrincipalDep, session: SessionDep) -> Any:
    service = CreatorService(session)
    return await _profile(service, await service.get_visible(creator_id, _viewer(principal)))


@router.get("/{creator_id}/portfolio/{item_id}/content", response_class=Response)
async def portfolio_content(creator_id: uuid.UUID, item_id: uuid.UUID, principal: PrincipalDep,
                            session: SessionDep) -> Response:
    service = CreatorService(session)
    item = await service.portfolio_item(await service.get_visible(creator_id, _viewer(principal)), item_id)
    data = await get_storage().get(item.storage_key)
    extension = PurePath(item.storage_key).suffix
    return user_file_response(data, item.content_type, item.original_filename, fallback=f"{item.id}{extension}")
