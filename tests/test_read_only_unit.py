"""The read-only unit of work (`store.db.read_only_unit`): no transaction is opened (no BEGIN/COMMIT round trips),
a write there is refused by the server, and the inbox reads use it while decisions keep their transaction. The
caller's account is read on every request, so disabling it, changing its role or moving it to another
organization counts from the very next request."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from asyncpg.exceptions import InterfaceError, ReadOnlySQLTransactionError
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import make_url

from store import db, driver
from store.db import read_only_unit, unit_of_work
from store.models import Organization, User, UserRole
from tests.agents_flow import seed_creator
from tests.conftest import manager_headers
from tests.test_approvals import shortlist_for


async def test_a_read_only_unit_opens_no_transaction_and_refuses_writes() -> None:
    async with read_only_unit() as session:
        row = await driver.fetchrow(session, select(text("1")), {})
        assert row is not None and row[0] == 1
        connection = await driver._driver(session)
        assert not connection.is_in_transaction()  # no BEGIN was sent: each statement is its own
        with pytest.raises(ReadOnlySQLTransactionError):
            await connection.execute("INSERT INTO organizations (id, name, created_at, updated_at) "
                                     "VALUES (gen_random_uuid(), 'sneaky', now(), now())")
    async with unit_of_work() as session:
        assert (await session.execute(select(Organization).where(Organization.name == "sneaky"))).first() is None
        await driver.fetchrow(session, select(text("1")), {})
        assert (await driver._driver(session)).is_in_transaction()  # a unit of work is one transaction


async def test_a_read_only_unit_leases_one_pooled_connection_and_returns_it() -> None:
    pool = db._driver_pools.get()  # store/driver_pool.py: its hot statements skip the session's connection
    async with read_only_unit() as session:
        connection = await driver._driver(session)
        assert await driver._driver(session) is connection  # one connection for the unit's hot statements
        assert (await session.execute(text("SELECT 2"))).scalar_one() == 2  # the session's own still work
        idle_during = pool.idle
    assert pool.idle == idle_during + 1  # back in the pool at the unit's end
    async with read_only_unit() as session:
        assert await driver._driver(session) is connection  # and reused by the next unit
        assert (await driver.fetchrow(session, select(text("3")), {}))[0] == 3  # type: ignore[index]


async def test_a_connection_is_reused_only_after_a_unit_that_ended_cleanly() -> None:
    from core.errors import NotFound

    with pytest.raises(NotFound):  # a domain error, raised between statements: the connection is idle, reused
        async with read_only_unit() as session:
            kept = await driver._driver(session)
            raise NotFound("no such thing")
    async with read_only_unit() as session:
        assert await driver._driver(session) is kept
    # anything else (a driver error, a cancellation mid-query) leaves its state unknown: closed, not reused
    with pytest.raises(asyncio.CancelledError):
        async with read_only_unit() as session:
            dropped = await driver._driver(session)
            task = asyncio.ensure_future(dropped.fetchval("SELECT pg_sleep(5)"))
            await asyncio.sleep(0.05)
            task.cancel()
            await task
    assert dropped.is_closed()
    async with read_only_unit() as session:
        fresh = await driver._driver(session)
        assert fresh is not dropped and await fresh.fetchval("SELECT 4") == 4


async def test_the_pool_holds_at_most_its_size_and_a_unit_waits_for_a_connection() -> None:
    from store.driver_pool import DriverPool

    url = make_url(db.resolve_database_url())
    pool = DriverPool(asyncpg_dialect().create_connect_args(url)[1], 1)
    first = await pool.acquire()
    waiting = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0.05)
    assert not waiting.done()  # the one connection is out
    pool.release(first)
    assert await waiting is first  # handed on, not a second connection
    pool.release(first, reusable=False)
    assert first.is_closed() and pool.idle == 0
    await pool.close()
    with pytest.raises(InterfaceError):
        await pool.acquire()


async def test_a_read_only_unit_closes_its_session_when_it_holds_anything() -> None:
    engine_pool = db._read_engines.get()[0].sync_engine.pool
    async with read_only_unit() as session:
        account = (await session.execute(select(User).limit(1))).scalar_one_or_none()
        assert session.sync_session.get_transaction() is not None  # the session's own connection, checked out
        checked_out = engine_pool.checkedout()  # type: ignore[attr-defined]
    assert engine_pool.checkedout() == checked_out - 1  # type: ignore[attr-defined]  # returned at the unit's end
    assert session.sync_session.get_transaction() is None and not session.sync_session.identity_map
    if account is not None:
        assert account not in session  # detached, as closing the session detaches what it loaded
    async with read_only_unit() as session:  # driver statements only: nothing of the session's to close
        await driver.fetchrow(session, select(text("1")), {})
        assert not db._holds_anything(session)


async def test_a_driver_pool_that_could_not_open_tries_again() -> None:
    import socket

    from store.driver_pool import DriverPool

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pool = DriverPool({"host": "127.0.0.1", "port": port, "user": "nobody", "database": "none"}, 1)
    for _ in range(2):  # each time a fresh attempt to connect (and the failed one's slot is free again)
        with pytest.raises(OSError):
            await pool.acquire()
    await pool.close()


async def test_the_remembered_driver_connection_follows_the_transaction() -> None:
    async with unit_of_work() as session:
        await session.execute(text("SELECT 1"))
        first = await driver._driver(session)
        assert await driver._driver(session) is first
        await session.commit()  # the connection went back to the pool: the next statement asks again
        await session.execute(text("SELECT 1"))  # begins the next transaction
        assert session.info[driver._DRIVER][0] is not session.sync_session.get_transaction()
        assert (await driver._driver(session)).is_in_transaction()
        assert session.info[driver._DRIVER][0] is session.sync_session.get_transaction()


async def test_inbox_reads_use_the_read_only_unit_and_decisions_a_transaction(
        client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import api.deps

    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    approval = await shortlist_for(client, headers)
    used: list[bool] = []

    @asynccontextmanager
    async def recorded() -> Any:
        async with db.read_only_unit() as session:
            yield session
            used.append((await driver._driver(session)).is_in_transaction())

    monkeypatch.setattr(api.deps, "read_only_unit", recorded)
    listed = await client.get("/approvals", headers=headers, params={"status": "pending"})
    assert listed.status_code == 200 and [item["id"] for item in listed.json()["items"]] == [approval["id"]]
    assert (await client.get(f"/approvals/{approval['id']}", headers=headers)).status_code == 200
    assert used == [False, False]  # both requests, each outside any transaction
    decided = await client.post(f"/approvals/{approval['id']}/decision", headers=headers, json={"action": "ignore"})
    assert decided.status_code == 200 and used == [False, False]  # a decision is a unit of work


async def _set_user(username: str, **values: Any) -> None:
    async with unit_of_work() as session:
        await session.execute(update(User).where(User.username == username).values(**values))


async def test_account_changes_count_from_the_very_next_request(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    approval = await shortlist_for(client, headers)

    async def answers() -> tuple[int, int, int]:
        listed = await client.get("/approvals", headers=headers)
        detail = await client.get(f"/approvals/{approval['id']}", headers=headers)
        me = await client.get("/auth/me", headers=headers)
        return listed.status_code, detail.status_code, me.status_code

    assert await answers() == (200, 200, 200)
    await _set_user("maria", is_active=False)
    assert await answers() == (401, 401, 401)
    decided = await client.post(f"/approvals/{approval['id']}/decision", headers=headers, json={"action": "ignore"})
    assert decided.status_code == 401
    await _set_user("maria", is_active=True)
    assert await answers() == (200, 200, 200)

    await _set_user("maria", role=UserRole.creator)  # no longer a manager: the inbox is closed to it
    assert await answers() == (403, 403, 200)
    await _set_user("maria", role=UserRole.manager)

    async with unit_of_work() as session:  # moved to another organization: it sees that one's inbox only
        other = Organization(name="Elsewhere")
        session.add(other)
        await session.flush()
        await session.execute(update(User).where(User.username == "maria").values(organization_id=other.id))
    listed = await client.get("/approvals", headers=headers)
    assert listed.status_code == 200 and listed.json()["items"] == []
    assert (await client.get(f"/approvals/{approval['id']}", headers=headers)).status_code == 404
    decided = await client.post(f"/approvals/{approval['id']}/decision", headers=headers, json={"action": "ignore"})
    assert decided.status_code == 404
