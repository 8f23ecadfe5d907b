"""Request and response bodies for /auth."""

from __future__ import annotations

import re
import uuid

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")


class _RegisterBase(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    email: EmailStr
    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=8, max_length=256)
    full_name: str = Field(min_length=1, max_length=200)

    @field_validator("username")
    @classmethod
    def _username_chars(cls, value: str) -> str:
        if not _USERNAME.match(value):
            raise ValueError("use 3-64 letters, digits, '_', '.' or '-'")
        return value


class RegisterManager(_RegisterBase):
    company_name: str = Field(min_length=1, max_length=200)


class RegisterCreator(_RegisterBase):
    category: str | None = Field(default=None, max_length=64)
    categories: list[str] = Field(default_factory=list, max_length=20)
    bio: str = Field(default="", max_length=5000)
    country: str | None = Field(default=None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    city: str | None = Field(default=None, max_length=120)
    languages: list[str] = Field(default_factory=list, max_length=20)
    instagram_handle: str | None = Field(default=None, max_length=100)
    instagram_followers: int = Field(default=0, ge=0)
    youtube_handle: str | None = Field(default=None, max_length=100)
    youtube_subscribers: int = Field(default=0, ge=0)
    tiktok_handle: str | None = Field(default=None, max_length=100)
    tiktok_followers: int = Field(default=0, ge=0)
    twitter_handle: str | None = Field(default=None, max_length=100)
    twitter_followers: int = Field(default=0, ge=0)
    engagement_rate: float | None = Field(default=None, ge=0, le=100)

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    username: str
    full_name: str
    role: str
    organization_id: uuid.UUID | None
    is_active: bool


class RegisteredCreatorOut(UserOut):
    creator_id: uuid.UUID


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class RefreshIn(BaseModel):
    refresh_token: str = Field(min_length=1)
