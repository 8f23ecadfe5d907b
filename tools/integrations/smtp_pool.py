"""Pooled SMTP connections: one TCP + EHLO (+ STARTTLS + AUTH) handshake per connection, not per email.

Opening a connection per message capped a worker at ~22 emails/s; a connection is reused for many messages
(SMTP allows any number of transactions per session). Per event loop (a worker process runs one per worker
thread, each running one job at a time) and per SMTP target, at most `SMTP_POOL_SIZE` connections are open;
one idle longer than `SMTP_POOL_IDLE_SECONDS` is closed rather than reused (servers drop idle sessions). A
reused connection the server dropped meanwhile is replaced and the message sent once on the new one; after any
other error the connection is discarded (its state is unknown)."""

from __future__ import annotations

import asyncio
import time
from email.message import Message
from typing import Any

import aiosmtplib

from core.loops import LoopLocal
from core.settings import Settings


class SmtpPool:
    def __init__(self, connect: dict[str, Any], size: int, idle_seconds: float) -> None:
        self.connect, self.idle_seconds = connect, idle_seconds
        self._gate = asyncio.Semaphore(size)
        self._idle: list[tuple[aiosmtplib.SMTP, float]] = []

    async def send(self, message: Message) -> None:
        async with self._gate:
            client, reused = self._take(), True
            if client is None:
                client, reused = await self._open(), False
            try:
                await client.send_message(message)
            except aiosmtplib.SMTPServerDisconnected:
                _drop(client)
                if not reused:
                    raise
                client = await self._open()  # the server closed the idle session: one fresh attempt
                try:
                    await client.send_message(message)
                except BaseException:
                    _drop(client)
                    raise
            except BaseException:
                _drop(client)
                raise
            self._idle.append((client, time.monotonic()))

    def _take(self) -> aiosmtplib.SMTP | None:
        now = time.monotonic()
        while self._idle:
            client, since = self._idle.pop()
            if client.is_connected and now - since < self.idle_seconds:
                return client
            _drop(client)
        return None

    async def _open(self) -> aiosmtplib.SMTP:
        client = aiosmtplib.SMTP(**self.connect)
        await client.connect()
        return client

    async def close(self) -> None:
        while self._idle:
            client, _ = self._idle.pop()
            try:
                await client.quit()
            except aiosmtplib.SMTPException:
                _drop(client)


def _drop(client: aiosmtplib.SMTP) -> None:
    if client.is_connected:
        client.close()


async def _close_pools(pools: dict[tuple[Any, ...], SmtpPool]) -> None:
    for pool in pools.values():
        await pool.close()


# aiosmtplib connections belong to the loop that opened them (core/loops.py): this loop's pools, by SMTP target
_pools: LoopLocal[dict[tuple[Any, ...], SmtpPool]] = LoopLocal("SMTP pools", dict, _close_pools)


def smtp_pool(settings: Settings) -> SmtpPool:
    """This event loop's pool for the SMTP target the settings name."""
    implicit_tls = settings.SMTP_USE_TLS and settings.SMTP_PORT == 465
    connect = {"hostname": settings.SMTP_HOST, "port": settings.SMTP_PORT,
               "username": settings.SMTP_USERNAME or None,
               "password": settings.SMTP_PASSWORD.get_secret_value() if settings.SMTP_PASSWORD else None,
               "use_tls": implicit_tls, "start_tls": settings.SMTP_USE_TLS and not implicit_tls,
               "timeout": settings.SMTP_TIMEOUT_SECONDS}
    pools, key = _pools.get(), tuple(sorted(connect.items()))
    pool = pools.get(key)
    if pool is None:
        pool = pools[key] = SmtpPool(connect, settings.SMTP_POOL_SIZE, settings.SMTP_POOL_IDLE_SECONDS)
    return pool
