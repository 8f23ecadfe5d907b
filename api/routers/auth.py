"""/auth: registration, login (OAuth2 password form; username or email), me, refresh-token rotation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import ValidationError

from api.deps import AccountDep, SessionDep
from api.ratelimit import limit_auth_attempt, limit_ip, limit_login_account
from api.schemas.auth import (
    RefreshIn,
    RegisterCreator,
    RegisteredCreatorOut,
    RegisterManager,
    TokenOut,
    UserOut,
)
from store.creators.validation import CreatorProfileData, invalid_profile
from store.users.service import AuthService, NewUser

router = APIRouter(prefix="/auth", tags=["auth"])


def _new_user(body: RegisterManager | RegisterCreator) -> NewUser:
    return NewUser(email=body.email, username=body.username, password=body.password, full_name=body.full_name)


def _creator_profile(body: RegisterCreator) -> dict[str, Any]:
    """Profile columns of a self-registered creator, validated like every other profile write (422 on bad ISO
    codes and the like). The Creator flush hook derives the search columns and queues the embedding."""
    audience: dict[str, Any] = {}
    for platform, handle, followers in (
        ("instagram", body.instagram_handle, body.instagram_followers),
        ("youtube", body.youtube_handle, body.youtube_subscribers),
        ("tiktok", body.tiktok_handle, body.tiktok_followers),
        ("twitter", body.twitter_handle, body.twitter_followers),
    ):
        if handle or followers:
            audience[platform] = {"handle": handle, "followers": followers, "avg_views": None,
                                  "engagement_rate": body.engagement_rate}
    categories = ([body.category] if body.category else []) + body.categories
    try:
        profile = CreatorProfileData.model_validate({
            "display_name": body.full_name, "categories": categories, "bio": body.bio, "country": body.country,
            "city": body.city, "languages": body.languages, "audience": audience})
    except ValidationError as exc:
        raise invalid_profile(exc) from exc
    columns = profile.columns()
    return {name: columns[name] for name in ("categories", "bio", "country", "city", "languages", "audience")}


@router.post("/register/user", response_model=UserOut, status_code=status.HTTP_201_CREATED)
async def register_manager(body: RegisterManager, request: Request, session: SessionDep) -> Any:
    await limit_auth_attempt(request, "register", body.email)
    return await AuthService(session).register_manager(_new_user(body), body.company_name)


@router.post("/register/creator", response_model=RegisteredCreatorOut, status_code=status.HTTP_201_CREATED)
async def register_creator(body: RegisterCreator, request: Request, session: SessionDep) -> Any:
    await limit_auth_attempt(request, "register", body.email)
    user, creator = await AuthService(session).register_creator(_new_user(body), _creator_profile(body))
    return RegisteredCreatorOut(**UserOut.model_validate(user).model_dump(), creator_id=creator.id)


@router.post("/login", response_model=TokenOut)
async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request,
                session: SessionDep) -> Any:
    await limit_ip(request, "login")
    pair = await AuthService(session).login(form.username, form.password, throttle=limit_login_account)
    return TokenOut(access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in)


@router.post("/refresh", response_model=TokenOut)
async def refresh(body: RefreshIn, session: SessionDep) -> Any:
    pair = await AuthService(session).refresh(body.refresh_token)
    return TokenOut(access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in)


@router.get("/me", response_model=UserOut)
async def me(account: AccountDep) -> Any:
    return account
