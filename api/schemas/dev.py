"""Response bodies of the development-only endpoints (/dev/...)."""

from __future__ import annotations

from pydantic import BaseModel


class MailSummary(BaseModel):
    id: str
    received_at: str
    mail_from: str
    rcpt_tos: list[str]
    subject: str
    message_id: str | None
    size: int


class MailList(BaseModel):
    items: list[MailSummary]


class MailDetail(MailSummary):
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
