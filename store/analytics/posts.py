"""Posts (a deliverable's published URL) and their metric snapshots: registering a post (manager, creator, or the
sweep picking up a submitted deliverable's post URL), manual readings, and the polling schedule's bookkeeping.

A new post gets an `analytics.poll_post` outbox job (key `poll-post:<post id>:first`) so its first reading does
not wait for the sweep; a recorded snapshot marks its (campaign, creator) pair for the rollup worker.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import and_, exists, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from store.analytics.dirty import mark_dirty
from store.jobs import ANALYTICS_POLL_POST, PollPost
from store.models import Deliverable, MetricSnapshot, Post
from store.models.metric_snapshot import METRIC_FIELDS
from store.outbox.repository import OutboxRepository

_INSTAGRAM = re.compile(r"instagram\.com/(?:[^/]+/)?(?:p|reel|reels|tv)/([A-Za-z0-9_\-]+)")
_TIKTOK = re.compile(r"tiktok\.com/@[^/]+/video/(\d+)")
_YOUTUBE_PATH = re.compile(r"(?:youtu\.be/|youtube\.com/(?:shorts|embed|live)/)([A-Za-z0-9_\-]{6,})")


@dataclass(frozen=True)
class Reading:
    """One set of metric values (None: not reported) and when it was taken."""

    values: dict[str, int | None]
    captured_at: datetime | None = None


def identify(url: str) -> tuple[str, str | None]:
    """(platform, the platform's id of the post) read from its URL; ('other', None) when not recognised."""
    if match := _INSTAGRAM.search(url):
        return "instagram", match.group(1)
    if match := _TIKTOK.search(url):
        return "tiktok", match.group(1)
    if match := _YOUTUBE_PATH.search(url):
        return "youtube", match.group(1)
    parts = urlsplit(url)
    if parts.hostname and parts.hostname.endswith("youtube.com") and (video := parse_qs(parts.query).get("v")):
        return "youtube", video[0]
    return "other", None


def validate_values(values: dict[str, int | None]) -> dict[str, int | None]:
    unknown = sorted(set(values) - set(METRIC_FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown metrics {', '.join(unknown)}: use {', '.join(METRIC_FIELDS)}",
                           code="invalid_metrics")
    if any(value is not None and value < 0 for value in values.values()):
        raise InvalidInput("Metric values cannot be negative", code="invalid_metrics")
    if all(value is None for value in values.values()):
        raise InvalidInput("A reading needs at least one metric value", code="invalid_metrics")
    return {name: values.get(name) for name in METRIC_FIELDS}


def _aware(moment: datetime | None) -> datetime:
    """Now when missing; a time without a zone is taken as UTC."""
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class PostService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def register(self, organization_id: uuid.UUID, campaign_id: uuid.UUID, creator_id: uuid.UUID, url: str, *,
                       deliverable_id: uuid.UUID | None = None, external_id: str | None = None,
                       published_at: datetime | None = None) -> Post:
        """The campaign's post at `url` (created once per campaign and URL) with its first poll queued."""
        post = (await self.session.execute(select(Post).where(Post.campaign_id == campaign_id, Post.url == url))
                ).scalar_one_or_none()
        if post is not None:
            if post.creator_id != creator_id:
                raise InvalidInput("This URL is already registered for another creator", code="post_taken")
            return post
        platform, detected_id = identify(url)
        post = Post(organization_id=organization_id, campaign_id=campaign_id, creator_id=creator_id, url=url,
                    deliverable_id=deliverable_id, platform=platform, external_id=external_id or detected_id,
                    published_at=_aware(published_at),
                    next_poll_at=datetime.now(UTC) if (external_id or detected_id) else None)
        self.session.add(post)
        await self.session.flush()
        if post.next_poll_at is not None:
            await OutboxRepository(self.session).enqueue(ANALYTICS_POLL_POST, PollPost(post_id=post.id),
                                                         f"poll-post:{post.id}:first")
        return post

    async def get(self, organization_id: uuid.UUID | None, post_id: uuid.UUID) -> Post:
        post = await self.session.get(Post, post_id)
        if post is None or post.organization_id != organization_id:
            raise NotFound("Post not found", code="post_not_found")
        return post

    async def for_creator(self, creator_id: uuid.UUID, post_id: uuid.UUID) -> Post:
        post = await self.session.get(Post, post_id)
        if post is None or post.creator_id != creator_id:
            raise NotFound("Post not found", code="post_not_found")
        return post

    async def record(self, post: Post, reading: Reading, *, source: str, self_reported: bool = False,
                     entered_by_id: uuid.UUID | None = None) -> MetricSnapshot:
        snapshot = MetricSnapshot(post_id=post.id, campaign_id=post.campaign_id, creator_id=post.creator_id,
                                  captured_at=_aware(reading.captured_at), source=source,
                                  self_reported=self_reported, entered_by_id=entered_by_id,
                                  **validate_values(reading.values))
        self.session.add(snapshot)
        await self.session.flush()
        await mark_dirty(self.session, [(post.campaign_id, post.creator_id)])
        return snapshot

    async def posts(self, campaign_id: uuid.UUID | None = None, creator_id: uuid.UUID | None = None
                    ) -> Sequence[Post]:
        statement = select(Post)
        if campaign_id is not None:
            statement = statement.where(Post.campaign_id == campaign_id)
        if creator_id is not None:
            statement = statement.where(Post.creator_id == creator_id)
        return (await self.session.execute(statement.order_by(Post.created_at))).scalars().all()

    async def latest(self, post_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, MetricSnapshot]:
        if not post_ids:
            return {}
        rows = await self.session.execute(select(MetricSnapshot).where(MetricSnapshot.post_id.in_(post_ids))
                                          .order_by(MetricSnapshot.post_id, MetricSnapshot.captured_at.desc())
                                          .ext(distinct_on(MetricSnapshot.post_id)))
        return {snapshot.post_id: snapshot for snapshot in rows.scalars()}

    async def sync_deliverables(self, limit: int = 500) -> int:
        """Register the post URL of every submitted deliverable that has no post yet."""
        missing = (select(Deliverable).where(Deliverable.post_url.is_not(None), ~exists().where(and_(
            Post.campaign_id == Deliverable.campaign_id, Post.url == Deliverable.post_url))).limit(limit))
        deliverables = list((await self.session.execute(missing)).scalars())
        for deliverable in deliverables:
            assert deliverable.post_url is not None
            await self.register(deliverable.organization_id, deliverable.campaign_id, deliverable.creator_id,
                                deliverable.post_url, deliverable_id=deliverable.id,
                                published_at=deliverable.submitted_at)
        return len(deliverables)

    async def due(self, limit: int) -> list[uuid.UUID]:
        statement = (select(Post.id).where(Post.next_poll_at.is_not(None), Post.next_poll_at <= datetime.now(UTC))
                     .order_by(Post.next_poll_at).limit(limit))
        return list((await self.session.execute(statement)).scalars())

    @staticmethod
    def schedule(post: Post, *, ok: bool, every: timedelta, max_backoff: timedelta, retry_after: float | None = None,
                 error: str | None = None) -> None:
        """Next poll: the regular interval after a success; exponential back-off (or the API's Retry-After)
        after a failure, capped."""
        now = datetime.now(UTC)
        post.last_polled_at = now
        if ok:
            post.poll_failures, post.last_poll_error, post.next_poll_at = 0, None, now + every
            return
        post.poll_failures += 1
        post.last_poll_error = (error or "")[:2000]
        backoff = timedelta(minutes=2 ** min(post.poll_failures, 16))
        if retry_after is not None:
            backoff = max(backoff, timedelta(seconds=retry_after))
        post.next_poll_at = now + min(backoff, max_backoff)
