"""Post metrics from each platform client against the local stand-in on a real port: first poll queued on
registration, growing counts on later polls, the schedule (not due twice), quota back-off and posts gone for good."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from api.standins.platform_metrics import create_metrics_standin
from core.settings import get_settings
from store.db import unit_of_work
from store.models import CreatorRollup, MetricSnapshot, OutboxEvent, Post
from tests.conftest import manager_headers
from tests.support.analytics import campaign_with_creators, settle
from tools.analytics.polling import poll_due, poll_one

URLS = {"instagram": ("https://www.instagram.com/p/Cx1/", "17890001"),
        "youtube": ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", None),
        "tiktok": ("https://www.tiktok.com/@cleo/video/7300000000001", None)}


@pytest.fixture
async def standin(local_http_server, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    base = await local_http_server(create_metrics_standin())
    settings = get_settings()
    for platform in ("INSTAGRAM", "YOUTUBE", "TIKTOK"):
        monkeypatch.setattr(settings, f"{platform}_API_BASE_URL", f"{base}/{platform.lower()}")
    return base


async def _make_due() -> None:
    async with unit_of_work() as session:
        await session.execute(update(Post).where(Post.next_poll_at.is_not(None))
                              .values(next_poll_at=datetime.now(UTC) - timedelta(seconds=1)))


async def _snapshots(post_id: str) -> list[MetricSnapshot]:
    async with unit_of_work() as session:
        return list((await session.execute(select(MetricSnapshot).where(MetricSnapshot.post_id == uuid.UUID(post_id))
                                           .order_by(MetricSnapshot.captured_at))).scalars())


async def test_each_platform_is_polled_and_counts_grow(client: httpx.AsyncClient, standin: str) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park"])
    posts = {}
    for platform, (url, external_id) in URLS.items():
        response = await client.post(f"/campaigns/{setup.campaign_id}/posts", headers=setup.headers, json={
            "creator_id": str(setup.creator_ids[0]), "url": url, "external_id": external_id})
        assert response.status_code == 201, response.text
        assert response.json()["platform"] == platform and response.json()["next_poll_at"] is not None
        posts[platform] = response.json()["id"]
    async with unit_of_work() as session:
        keys = set((await session.execute(select(OutboxEvent.idempotency_key))).scalars())
    assert {f"poll-post:{post_id}:first" for post_id in posts.values()} <= keys
    assert await poll_one(uuid.UUID(posts["youtube"])) == "recorded"  # the queued first poll
    assert await poll_one(uuid.UUID(posts["youtube"])) == "not due"  # a redelivered job does nothing
    assert await poll_due() == 2  # the other two
    assert await poll_due() == 0
    first = {platform: (await _snapshots(post_id))[-1] for platform, post_id in posts.items()}
    assert first["instagram"].impressions and first["instagram"].reach and first["instagram"].saves is not None
    assert first["youtube"].views and first["youtube"].impressions is None  # YouTube reports no impressions
    assert first["tiktok"].shares is not None and first["tiktok"].source == "api"
    await _make_due()
    assert await poll_due() == 3
    for platform, post_id in posts.items():
        readings = await _snapshots(post_id)
        assert len(readings) == 2 and (readings[1].likes or 0) >= (readings[0].likes or 0), platform
        assert (readings[1].views or readings[1].impressions or 0) > (readings[0].views or readings[0].impressions
                                                                     or 0), platform
    await settle()
    async with unit_of_work() as session:
        rollup = await session.get(CreatorRollup, (setup.campaign_id, setup.creator_ids[0]))
    assert rollup is not None and set(rollup.platform_metrics) == {"instagram", "youtube", "tiktok"}
    assert rollup.snapshot_points == 6 and rollup.emv is not None


async def test_quota_backoff_and_gone_posts(client: httpx.AsyncClient, standin: str) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park"])
    ids = {}
    for name, url, external_id in (("ig-quota", "https://www.instagram.com/p/Q/", "17890429"),
                                   ("yt-quota", "https://youtu.be/abcdef429", None),
                                   ("tt-quota", "https://www.tiktok.com/@c/video/7300429", None),
                                   ("yt-gone", "https://youtu.be/abcdef404", None)):
        response = await client.post(f"/campaigns/{setup.campaign_id}/posts", headers=setup.headers, json={
            "creator_id": str(setup.creator_ids[0]), "url": url, "external_id": external_id})
        ids[name] = uuid.UUID(response.json()["id"])
    results = {name: await poll_one(post_id) for name, post_id in ids.items()}
    assert results == {"ig-quota": "quota", "yt-quota": "quota", "tt-quota": "quota", "yt-gone": "failed"}
    now = datetime.now(UTC)
    async with unit_of_work() as session:
        rows = {name: await session.get(Post, post_id) for name, post_id in ids.items()}
    waits = {name: (row.next_poll_at - now).total_seconds() if row and row.next_poll_at else None
             for name, row in rows.items()}
    assert 3500 < (waits["ig-quota"] or 0) <= 3600  # Graph API throttling: an hour
    assert 6 * 3600 - 100 < (waits["yt-quota"] or 0) <= 6 * 3600  # YouTube's daily quota
    assert 100 < (waits["tt-quota"] or 0) <= 120  # back-off 2 min ≥ TikTok's Retry-After 60 s
    assert waits["yt-gone"] is None and rows["yt-gone"] and "not found" in (rows["yt-gone"].last_poll_error or "")
    assert all(row and row.poll_failures == 1 for row in rows.values())
    assert await _snapshots(str(ids["ig-quota"])) == []
