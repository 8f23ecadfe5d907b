"""Test session: a real embedded PostgreSQL (fresh, migrated once), real Redis, Dramatiq's StubBroker.

Every test starts from empty tables (TRUNCATE) and an empty Redis database. The LLM is faked; the database
is not.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

# Settings are read once per process: configure the environment before anything imports them.
_TMP = Path(tempfile.mkdtemp(prefix="influency-test-"))
os.environ.update(
    {
        "ENVIRONMENT": "test",
        "DATA_DIR": str(_TMP / "data"),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "BROKER": "stub",
        # One Redis database per concurrent test session, so parallel runs don't flush each other.
        "REDIS_URL": f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}",
        "LLM_PROVIDER": "offline",
        "AUTH_RATE_LIMIT_PER_IP": "1000",
        "AUTH_RATE_LIMIT_PER_ACCOUNT": "1000",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("OPENAI_API_KEY", None)
os.environ.pop("OPENAI_BASE_URL", None)

import httpx  # noqa: E402
import pytest  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from core.settings import set_process_defaults  # noqa: E402

set_process_defaults()


@pytest.fixture(scope="session")
def database_url() -> str:
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    url = start_embedded_postgres(_TMP, cleanup="delete")
    upgrade(url)
    db.reset_for_tests(url)
    os.environ["DATABASE_URL"] = url  # child processes started by tests use the same database
    return url


@pytest.fixture(autouse=True)
async def clean_state(database_url: str) -> AsyncIterator[None]:
    from store.base import Base
    from store.db import get_engine
    from store.redis import get_redis

    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with get_engine().begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await get_redis().flushdb()
    yield


@pytest.fixture(autouse=True)
async def offers_state_their_amount(clean_state: None) -> AsyncIterator[None]:
    """After every test: no offer approval it created states, in its text, another amount than it records."""
    yield
    from tests.support.offers import offers_disagreeing_with_their_amount

    assert await offers_disagreeing_with_their_amount() == []


# A port bound but never listening refuses connections: mail and WhatsApp calls made by jobs a test did not
# point at a sink or stand-in (`mail_sink`, `whatsapp_standin`) fail fast and retryably, instead of reaching
# whatever runs on the default ports of this machine.
_CLOSED = socket.socket()
_CLOSED.bind(("127.0.0.1", 0))
_CLOSED_PORT = _CLOSED.getsockname()[1]


@pytest.fixture(autouse=True)
def no_stray_delivery(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "SMTP_HOST", "127.0.0.1")
    monkeypatch.setattr(get_settings(), "SMTP_PORT", _CLOSED_PORT)
    monkeypatch.setattr(get_settings(), "WHATSAPP_API_BASE_URL", f"http://127.0.0.1:{_CLOSED_PORT}")


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    from store.db import get_sessionmaker

    async with get_sessionmaker()() as session:
        yield session
        await session.rollback()


@pytest.fixture(scope="session")
def app(database_url: str):  # type: ignore[no-untyped-def]
    from api.app import create_app

    return create_app()


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", random.randint(1024, 65000)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


# ------------------------------------------------------------------ helpers shared by tests


async def register_manager(client: httpx.AsyncClient, name: str = "maria", company: str = "Acme") -> dict:
    response = await client.post(
        "/auth/register/user",
        json={"email": f"{name}@example.com", "username": name, "password": "correct-horse-1",
              "full_name": name.title(), "company_name": company},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def login(client: httpx.AsyncClient, name: str, password: str = "correct-horse-1") -> dict:
    response = await client.post("/auth/login", data={"username": name, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


async def manager_headers(client: httpx.AsyncClient, name: str = "maria", company: str = "Acme") -> dict:
    await register_manager(client, name, company)
    tokens = await login(client, name)
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture
async def local_http_server():  # type: ignore[no-untyped-def]
    """Start ASGI apps on real local ports (uvicorn in this event loop); yields `start(app) -> base URL`.
    Servers stop at teardown. Lifespan is off: the shared test engine must not be disposed by an app."""
    import asyncio
    import socket
    from typing import Literal

    import uvicorn

    running: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []

    async def start(asgi_app, lifespan: Literal["on", "off"] = "off") -> str:  # type: ignore[no-untyped-def]
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(asgi_app, lifespan=lifespan, log_config=None, access_log=False))
        task = asyncio.create_task(server.serve(sockets=[sock]))
        running.append((server, task))
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    yield start
    for server, _ in running:
        server.should_exit = True
    await asyncio.gather(*(task for _, task in running))


# ------------------------------------------------------------------ model layer (agents/llm, agents/tasks)


@pytest.fixture
def openai_server():  # type: ignore[no-untyped-def]
    """A real OpenAI-compatible HTTP server on 127.0.0.1 (free port) with scripted answers, so the real
    `ChatOpenAI` path runs without a network. See `tests/support/openai_server.py`.

        openai_server.script(Scripted.tool("ReplyVerdict", {"intent": "declined"}))   # next answer(s), in order
        openai_server.responder = lambda request: Scripted(content="hi")            # when the script is empty
        model = get_chat_model(provider="openai", base_url=openai_server.base_url, api_key="test", model="m")
        openai_server.requests  # every request body received (messages, tools, stream flags)

    Streaming requests get SSE (`data:` chunks, a usage chunk with `choices: []`, `data: [DONE]`).
    `Scripted(status=500)` answers an error. To point code that reads settings at it, set
    `OPENAI_BASE_URL=openai_server.base_url` with `monkeypatch.setenv` and clear `get_settings.cache_clear()`.
    """
    from tests.support.openai_server import OpenAICompatServer

    server = OpenAICompatServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def langgraph_checkpoints(database_url: str) -> None:
    """LangGraph's checkpoint tables, created at migrate time as `influency migrate` does."""
    from agents.checkpointer import setup_checkpointer

    setup_checkpointer(database_url)


# ------------------------------------------------------------------ creators and search (discovery)
# The deterministic hashing embedder unless a test asks for the real model (`minilm` fixture): no torch import,
# no model load. Settings are first read after this module ran, so the default takes effect for the session.
os.environ.setdefault("EMBEDDING_PROVIDER", "hash")


@pytest.fixture
def minilm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the real all-MiniLM-L6-v2 embedder in this test."""
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "EMBEDDING_PROVIDER", "minilm")


@pytest.fixture
def add_creators(database_url: str):  # type: ignore[no-untyped-def]
    """`await add_creators(rows, organization_id=None, embed=True)`: import rows (the import file format) through
    the import service, optionally embed them now; returns their ids in row order."""

    async def _add(rows: list[dict], organization_id=None, embed: bool = True) -> list:  # type: ignore[no-untyped-def]
        from store.creators.importing import validate_records
        from store.creators.service import CreatorService
        from store.db import unit_of_work
        from tools.embeddings.indexer import embed_creators

        async with unit_of_work() as session:
            report = await CreatorService(session).import_rows(validate_records(rows),
                                                               organization_id=organization_id)
        assert not report.errors and not report.duplicates, report
        if embed:
            await embed_creators(report.created_ids)
        return report.created_ids

    return _add


@pytest.fixture
def seed_creators(database_url: str):  # type: ignore[no-untyped-def]
    """`await seed_creators(count, seed=1, embed=True)`: the synthetic population via binary COPY (+ embeddings)."""

    async def _seed(count: int, seed: int = 1, embed: bool = True) -> list:  # type: ignore[no-untyped-def]
        from store.creators.bulk import copy_creators, raw_connection
        from store.creators.synthetic import synthetic_creators
        from tools.embeddings.indexer import reindex

        rows = list(synthetic_creators(count, seed))
        connection = await raw_connection(database_url)
        try:
            async with connection.transaction():
                await copy_creators(connection, rows)
            await connection.execute("ANALYZE creators")
        finally:
            await connection.close()
        if embed:
            await reindex()
        return [row["id"] for row in rows]

    return _seed


# ------------------------------------------------------------------ negotiation and sending


@pytest.fixture
async def mail_sink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A real aiosmtpd SMTP sink on a free port (`tests/negotiation_flow.Sink`: its mailbox and a sender); the
    SMTP settings point at it for the test, so actors run by the job pump deliver there."""
    from core.settings import get_settings
    from tests.negotiation_flow import smtp_sink

    async for sink in smtp_sink(tmp_path / "mailbox"):
        monkeypatch.setattr(get_settings(), "SMTP_HOST", "127.0.0.1")
        monkeypatch.setattr(get_settings(), "SMTP_PORT", sink.port)
        yield sink


@pytest.fixture
async def whatsapp_standin(local_http_server, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The WhatsApp Cloud API stand-in served on a free local port, with WHATSAPP_API_BASE_URL pointing at it for
    the test (so actors run by the job pump send there); its webhooks go nowhere. Yields its base URL."""
    from api.standins.whatsapp_cloud import create_standin_app
    from core.settings import get_settings

    standin = create_standin_app(webhook_url="http://127.0.0.1:9/unreachable", status_delay=0)
    base_url = await local_http_server(standin)
    monkeypatch.setattr(get_settings(), "WHATSAPP_API_BASE_URL", base_url)
    yield base_url
    for task in list(standin.state.standin.tasks):
        task.cancel()


@pytest.fixture
async def standin_client():  # type: ignore[no-untyped-def]
    """A WhatsApp client talking to the Cloud API stand-in in process; its webhooks go nowhere."""
    from api.standins.whatsapp_cloud import create_standin_app
    from core.settings import Settings
    from tools.integrations.whatsapp import WhatsAppClient

    standin = create_standin_app(webhook_url="http://127.0.0.1:9/unreachable", status_delay=0)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=standin))
    settings = Settings(WHATSAPP_API_BASE_URL="http://standin", _env_file=None)  # type: ignore[call-arg]
    yield WhatsAppClient(settings, http=http)
    for task in list(standin.state.standin.tasks):
        task.cancel()
    await http.aclose()
