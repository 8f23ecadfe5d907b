"""Response bodies of the provider webhooks."""

from __future__ import annotations

from pydantic import BaseModel


class WebhookReceipt(BaseModel):
    stored: int  # new items stored (each gets an `inbound.process` job)
    duplicates: int  # items stored before (redeliveries)
    stale: int  # items older than the replay window, ignored
