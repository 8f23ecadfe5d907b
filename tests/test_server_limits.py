"""The served API bounds request headers (`api/server.py`): a huge header is refused with 431 and the connection
closed — whether it arrives in one piece or keeps streaming — while normal requests are served."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import uvicorn

from api.server import server_config
from core.settings import get_settings


@pytest.fixture
async def served(app, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(get_settings(), "MAX_HEADER_BYTES", 16 * 1024)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(server_config(app, lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    yield "127.0.0.1", sock.getsockname()[1]
    server.should_exit = True
    await task


async def _exchange(address: tuple[str, int], request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection(*address)
    try:
        writer.write(request)
        await writer.drain()
        return await asyncio.wait_for(reader.read(65536), 10)
    except ConnectionResetError:
        return b"reset"
    finally:
        writer.close()


async def test_normal_headers_are_served(served: tuple[str, int]) -> None:
    answer = await _exchange(served, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 8000 + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200")


async def test_a_complete_huge_header_is_431(served: tuple[str, int]) -> None:
    answer = await _exchange(served, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431"), answer[:80]


async def test_an_unfinished_huge_header_is_431_before_it_ends(served: tuple[str, int]) -> None:
    """The header never ends: the server stops reading it at the bound instead of buffering it (a 50 MB header
    was read for 9 s and answered 200)."""
    answer = await _exchange(served, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:80]


async def test_many_headers_adding_up_are_431(served: tuple[str, int]) -> None:
    headers = b"".join(b"X-H%d: %s\r\n" % (index, b"v" * 100) for index in range(300))
    answer = await _exchange(served, b"GET /health HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431"), answer[:80]
