"""Draft edits as examples (`store.models.DraftEdit`): recorded with the approval decision, read back per
organization — the latest ones for the brand-voice profile, the nearest by embedding as few-shot guidance."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.jobs import DRAFT_EDITS_EMBED, DraftEditEmbed
from store.models import Approval, ApprovalKind, Creator, DecisionAction, DraftEdit
from store.outbox.repository import OutboxRepository


def _draft_args(approval: Approval) -> dict[str, Any]:
    request = approval.request or {}
    return dict((request.get("action_request") or {}).get("args") or request.get("args") or {})


async def record_decision(session: AsyncSession, approval: Approval, action: DecisionAction,
                          before: dict[str, Any] | None, after: dict[str, Any] | None, feedback: str | None) -> None:
    """Keep a message or offer draft's edit (body before and after) or its rejection / respond with feedback (an
    offer's new amount alone is not a wording example: no body after). Flushes
    with the decision's own transaction, as does the outbox row of the job that embeds it (`drafts.embed_edit`);
    anything else (other kinds, approvals without text) keeps nothing."""
    if approval.kind not in (ApprovalKind.message, ApprovalKind.offer) or approval.organization_id is None:
        return
    args = _draft_args(approval)
    channel = str(args.get("channel") or "email")
    draft = str((before or {}).get("body_text") or args.get("body_text") or "")
    if not draft.strip():
        return
    if action == DecisionAction.edit and after and after.get("body_text") and after["body_text"] != draft:
        example = DraftEdit(kind="edit", after=str(after["body_text"]), feedback=feedback)
    elif action in (DecisionAction.reject, DecisionAction.respond) and (feedback or "").strip():
        example = DraftEdit(kind="feedback", after=None, feedback=feedback)
    else:
        return
    example.organization_id, example.approval_id, example.creator_id = (approval.organization_id, approval.id,
                                                                         approval.creator_id)
    example.channel, example.before = channel, draft
    session.add(example)
    await session.flush()
    await OutboxRepository(session).enqueue(DRAFT_EDITS_EMBED, DraftEditEmbed(draft_edit_id=example.id),
                                            f"drafts.embed_edit:{example.id}")


@dataclass(frozen=True)
class Example:
    """A kept edit as the drafting reads it: the draft, what the manager sent or said, the creator's name."""

    before: str
    after: str | None
    feedback: str | None
    creator_name: str | None


@cache
def _examples(by_channel: bool) -> Any:
    statement = (select(DraftEdit, Creator.display_name).outerjoin(Creator, Creator.id == DraftEdit.creator_id)
                 .where(DraftEdit.organization_id == bindparam("organization_id")))
    return statement.where(DraftEdit.channel == bindparam("channel")) if by_channel else statement


@cache
def _latest_examples(by_channel: bool) -> Any:
    """Built once per shape: every drafted reply reads the brand's latest edits."""
    return _examples(by_channel).order_by(DraftEdit.created_at.desc(), DraftEdit.id).limit(bindparam("limit"))


class DraftEditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest(self, organization_id: uuid.UUID, channel: str | None = None, limit: int = 50) -> list[DraftEdit]:
        statement = select(DraftEdit).where(DraftEdit.organization_id == organization_id)
        if channel:
            statement = statement.where(DraftEdit.channel == channel)
        rows = await self.session.scalars(statement.order_by(DraftEdit.created_at.desc()).limit(limit))
        return list(rows)

    async def get(self, draft_edit_id: uuid.UUID) -> DraftEdit | None:
        return await self.session.get(DraftEdit, draft_edit_id)

    async def store_embedding(self, draft_edit_id: uuid.UUID, vector: Sequence[float]) -> bool:
        """Write the embedding unless one is there already (a duplicate job changes nothing)."""
        result = await self.session.execute(
            update(DraftEdit).where(DraftEdit.id == draft_edit_id, DraftEdit.embedding.is_(None))
            .values(embedding=list(vector)).returning(DraftEdit.id))
        return result.scalar_one_or_none() is not None

    async def without_embedding(self, organization_id: uuid.UUID, limit: int = 100) -> list[DraftEdit]:
        rows = await self.session.scalars(select(DraftEdit).where(DraftEdit.organization_id == organization_id,
                                                                  DraftEdit.embedding.is_(None)).limit(limit))
        return list(rows)

    async def nearest(self, organization_id: uuid.UUID, vector: Sequence[float], channel: str | None = None,
                      limit: int = 3) -> list[DraftEdit]:
        """The organization's examples closest to `vector` (cosine distance, pgvector)."""
        statement = select(DraftEdit).where(DraftEdit.organization_id == organization_id,
                                            DraftEdit.embedding.is_not(None))
        if channel:
            statement = statement.where(DraftEdit.channel == channel)
        rows = await self.session.scalars(statement.order_by(DraftEdit.embedding.cosine_distance(list(vector)))
                                          .limit(limit))
        return list(rows)

    async def examples(self, organization_id: uuid.UUID, channel: str | None = None, limit: int = 20,
                       near: Sequence[float] | None = None) -> list[Example]:
        """The latest examples (the brand-voice profile), or with `near` the nearest embedded ones (few-shot
        guidance), with the creator's name; `near` with none embedded yet falls back to the latest."""
        parameters = {"organization_id": organization_id, "channel": channel, "limit": limit}
        if near is None:
            rows = list(await self.session.execute(_latest_examples(bool(channel)), parameters))
        else:
            ordered = (_examples(bool(channel)).where(DraftEdit.embedding.is_not(None))
                       .order_by(DraftEdit.embedding.cosine_distance(list(near))).limit(bindparam("limit")))
            rows = list(await self.session.execute(ordered, parameters))
        if near is not None and not rows:
            return await self.examples(organization_id, channel, limit)
        return [Example(edit.before, edit.after, edit.feedback, name) for edit, name in rows]
