"""Outreach state. Plain JSON values only (checkpointed)."""

from __future__ import annotations

from typing import Any, TypedDict


class OutreachInput(TypedDict):
    creator_id: str
    channel: str  # email | whatsapp
    reasons: list[str]  # why discovery shortlisted this creator


class DraftRecord(TypedDict):
    channel: str
    subject: str | None
    body_text: str
    language: str
    model: str
    prompt_version: str
    notes: list[str]  # what the drafting could not do (feedback it could not apply, a model fallback)


class OutreachState(TypedDict, total=False):
    creator_id: str
    channel: str
    reasons: list[str]
    profile: dict[str, Any]  # agents.tasks.types.CreatorProfile as JSON
    brief: dict[str, Any]
    to_address: str
    company: str | None  # the organization's name: drafts are signed by it
    attempt: int  # drafts written so far
    draft: DraftRecord
    feedback: str | None  # the manager's latest feedback, applied by the next draft
    history: list[dict[str, Any]]  # earlier drafts and the feedback each got
    voice_examples: list[dict[str, Any]]  # the manager's latest edits (store.drafts.edits.Example as JSON)
    few_shot: list[dict[str, Any]]  # the nearest of them, for the model path
    final: dict[str, Any]  # the text that was approved (after edits)
    outcome: str  # queued | rejected | expired | gave_up | unreachable
