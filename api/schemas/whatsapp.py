"""Request and response bodies of the WhatsApp Business service (/whatsapp/...)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from store.models import Message, MessageStatus


class TemplateIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = Field(min_length=1, max_length=512)
    language: str = Field(default="en", min_length=2, max_length=15)
    body_parameters: list[str] = Field(default_factory=list, max_length=20)


class SendIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    to: str = Field(min_length=8, max_length=32, description="recipient phone in E.164, e.g. +447700900123")
    text: str | None = Field(default=None, min_length=1, max_length=4096,
                             description="free text: allowed within 24 h of the creator's last message")
    template: TemplateIn | None = Field(default=None, description="an approved template: needed outside the window")
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=150,
                                       description="sending again with the same key returns the first send")

    @model_validator(mode="after")
    def _text_or_template(self) -> SendIn:
        if self.text is None and self.template is None:
            raise ValueError("give a text, a template, or both (the template is used outside the 24-hour window)")
        return self


class SendOut(BaseModel):
    id: uuid.UUID
    to_phone: str
    kind: str
    status: str
    provider_message_id: str | None
    error_code: int | None
    failure_reason: str | None
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    read_at: datetime | None
    failed_at: datetime | None

    @classmethod
    def of(cls, message: Message) -> SendOut:
        """A WhatsApp message as this API has always shown a send (`sending` is still `queued` here)."""
        status = MessageStatus.queued if message.status == MessageStatus.sending else message.status
        return cls(id=message.id, to_phone=message.to_address or "",
                   kind=message.sent_kind or ("text" if message.body_text else "template"), status=status.value,
                   provider_message_id=message.provider_message_id, error_code=message.error_code,
                   failure_reason=message.failure_reason, attempts=message.send_attempts,
                   created_at=message.created_at, sent_at=message.sent_at, delivered_at=message.delivered_at,
                   read_at=message.read_at, failed_at=message.failed_at)


class TemplateOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    language: str
    status: str
    category: str | None = None
    components: list[dict[str, Any]] = Field(default_factory=list)


class TemplateList(BaseModel):
    items: list[TemplateOut]
