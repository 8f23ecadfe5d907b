"""Request and response bodies for /do-not-contact."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ChannelName = Literal["email", "whatsapp"]


class BlockIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    channel: ChannelName
    address: str = Field(min_length=3, max_length=320, description="email address, or phone in E.164 (+4477...)")
    reason: str = Field(default="", max_length=1000)
    creator_id: uuid.UUID | None = None


class BlockOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel: ChannelName
    address: str
    source: str
    reason: str
    creator_id: uuid.UUID | None
    scope: Literal["organization", "global"]
    created_at: datetime


class BlockList(BaseModel):
    items: list[BlockOut]
    total: int


class BlockCheck(BaseModel):
    blocked: bool
    address: str  # normalized
    entries: list[BlockOut]
