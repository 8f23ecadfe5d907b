"""Response bodies of the development-only endpoints (/dev/...)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from store.signing.redact import redact_tokens


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
    headers: list[list[str]] = Field(description="[name, value] pairs, in order")
    text: str | None = Field(description="the text body; link tokens (`token=`) redacted")
    html: str | None = Field(description="the HTML body; link tokens (`token=`) redacted")

    @field_validator("text", "html")
    @classmethod
    def _no_personal_links(cls, value: str | None) -> str | None:
        """A signing link is for the creator: `influency mailbox show` (the creator's side, on disk) shows it."""
        return redact_tokens(value)
