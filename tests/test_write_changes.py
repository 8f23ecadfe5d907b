"""`store/updates.write_changes`: an object's changed columns written by one statement, `updated_at` stamped as
the ORM's `onupdate` would, and nothing left for the session's flush to write."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event, select

from store import db
from store.conversations.repository import ConversationRepository
from store.db import unit_of_work
from store.models import Campaign, Conversation, ConversationStatus, Creator
from store.updates import write_changes
from tests.agents_flow import create_campaign, seed_creator
from tests.conftest import manager_headers


async def _conversation(client: httpx.AsyncClient) -> uuid.UUID:
    campaign_id = uuid.UUID((await create_campaign(client, await manager_headers(client)))["id"])
    creator_id = await seed_creator("Ana Ruiz")
    async with unit_of_work() as session:
        organization_id = (await session.execute(
            select(Campaign.organization_id).where(Campaign.id == campaign_id))).scalar_one()
        return (await ConversationRepository(session).get_or_create(organization_id, campaign_id, creator_id)).id


async def test_changed_columns_are_written_once_and_the_flush_writes_nothing(client: httpx.AsyncClient) -> None:
    conversation_id = await _conversation(client)
    statements: list[str] = []

    def note(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(db.get_engine().sync_engine, "before_cursor_execute", note)
    try:
        at = datetime(2026, 12, 4, 21, 0, tzinfo=UTC)
        async with unit_of_work() as session:
            conversation = await session.get(Conversation, conversation_id)
            assert conversation is not None
            before = conversation.updated_at
            statements.clear()
            await write_changes(session, conversation)  # nothing changed: no statement
            assert statements == []
            conversation.last_message_at, conversation.follow_up_due_at = at, at + timedelta(days=3)
            conversation.status = ConversationStatus.agreed
            await write_changes(session, conversation)
            assert len(statements) == 1 and statements[0].startswith("UPDATE conversations SET")
            assert conversation.updated_at > before  # stamped by the statement, read back
            await session.flush()
            assert len(statements) == 1  # the flush found nothing left to write
        assert statements[1:] == []  # nor did the commit
    finally:
        event.remove(db.get_engine().sync_engine, "before_cursor_execute", note)

    async with unit_of_work() as session:
        stored = await session.get(Conversation, conversation_id)
        assert stored is not None
        assert (stored.last_message_at, stored.follow_up_due_at, stored.status) == (
            at, at + timedelta(days=3), ConversationStatus.agreed)
        assert stored.updated_at > before


async def test_a_new_object_is_left_to_the_flush(client: httpx.AsyncClient) -> None:
    conversation_id = await _conversation(client)
    async with unit_of_work() as session:
        existing = await session.get(Conversation, conversation_id)
        assert existing is not None
        pending = Conversation(organization_id=existing.organization_id, campaign_id=uuid.uuid4(),
                               creator_id=existing.creator_id, status=ConversationStatus.open, reply_token="x")
        session.add(pending)
        await write_changes(session, pending)  # not in the database yet: nothing to update
        session.expunge(pending)


async def test_a_model_with_update_events_is_written_by_the_flush(client: httpx.AsyncClient) -> None:
    creator_id = await seed_creator("Ana Ruiz")
    async with unit_of_work() as session:
        creator = await session.get(Creator, creator_id)
        assert creator is not None
        before = creator.content_hash
        creator.bio = "Trail running and mountain food, new this season"
        await write_changes(session, creator)
        assert creator.content_hash != before  # its before_update event derived the new fingerprint
    async with unit_of_work() as session:
        stored = await session.get(Creator, creator_id)
        assert stored is not None and stored.bio.startswith("Trail running") and stored.content_hash != before
