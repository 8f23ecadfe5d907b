"""Post-metrics clients for Instagram (Graph API media insights), YouTube (Data API v3 `videos.list` statistics) and
TikTok (Display API `video/query`), each an httpx client behind one interface: `fetch(external_id) -> Reading`.

Errors are typed so the poller can schedule: `QuotaExceeded` (429, YouTube's `quotaExceeded`, Graph API throttling
codes 4/17/32/613, TikTok's `rate_limit_exceeded`) carries the wait the platform asked for; `PlatformError` says
whether retrying can help (5xx, timeouts) or not (a deleted post, a bad token). A metric a platform does not report
is None. On embedded defaults every client talks to the local stand-in (`api/standins/platform_metrics.py`).
"""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from core.settings import Settings, get_settings
from store.analytics.posts import Reading

GRAPH_VERSION = "v23.0"
INSTAGRAM_METRICS = ("impressions", "reach", "views", "likes", "comments", "shares", "saved", "total_interactions")
_GRAPH_THROTTLING = {4, 17, 32, 613}


class PlatformError(Exception):
    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class QuotaExceeded(PlatformError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message, retryable=True)
        self.retry_after = retry_after


class MetricsClient(Protocol):
    platform: str

    async def fetch(self, external_id: str) -> Reading: ...


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class _HttpClient:
    platform = ""

    def __init__(self, settings: Settings | None = None, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings or get_settings()
        self.base_url = self.settings.metrics_api_base_url(self.platform)
        self.http = http or httpx.AsyncClient(timeout=self.settings.METRICS_HTTP_TIMEOUT_SECONDS)

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self.http.request(method, f"{self.base_url}{path}", **kwargs)
        except httpx.HTTPError as exc:
            raise PlatformError(f"{self.platform}: {type(exc).__name__}: {exc}", retryable=True) from exc
        if response.status_code == 429:
            raise QuotaExceeded(f"{self.platform}: rate limited", _retry_after(response))
        if response.status_code >= 500:
            raise PlatformError(f"{self.platform}: HTTP {response.status_code}", retryable=True)
        return response

    async def aclose(self) -> None:
        await self.http.aclose()


class InstagramClient(_HttpClient):
    """`GET /{version}/{media-id}/insights?metric=...` (an Instagram media id, not the URL's shortcode)."""

    platform = "instagram"

    async def fetch(self, external_id: str) -> Reading:
        token = self.settings.INSTAGRAM_ACCESS_TOKEN
        response = await self._send("GET", f"/{GRAPH_VERSION}/{external_id}/insights", params={
            "metric": ",".join(INSTAGRAM_METRICS), "access_token": token.get_secret_value() if token else "standin"})
        body = response.json() if response.content else {}
        if response.status_code >= 400:
            error = body.get("error", {}) if isinstance(body, dict) else {}
            if error.get("code") in _GRAPH_THROTTLING:
                raise QuotaExceeded(f"instagram: {error.get('message', 'throttled')}", 3600)
            raise PlatformError(f"instagram: {error.get('message') or response.status_code}", retryable=False)
        values = {item.get("name"): _int((item.get("values") or [{}])[0].get("value"))
                  for item in body.get("data", []) if isinstance(item, dict)}
        return Reading({"impressions": values.get("impressions"), "reach": values.get("reach"),
                        "views": values.get("views"), "likes": values.get("likes"),
                        "comments": values.get("comments"), "shares": values.get("shares"),
                        "saves": values.get("saved")})


class YouTubeClient(_HttpClient):
    """`GET /youtube/v3/videos?part=statistics&id=...` (1 quota unit a call; `quotaExceeded` resets daily)."""

    platform = "youtube"

    async def fetch(self, external_id: str) -> Reading:
        key = self.settings.YOUTUBE_API_KEY
        response = await self._send("GET", "/youtube/v3/videos", params={
            "part": "statistics", "id": external_id, "key": key.get_secret_value() if key else "standin"})
        body = response.json() if response.content else {}
        if response.status_code >= 400:
            reasons = {item.get("reason") for item in body.get("error", {}).get("errors", [])} if body else set()
            if reasons & {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded"}:
                raise QuotaExceeded("youtube: quota exceeded", 6 * 3600)
            raise PlatformError(f"youtube: HTTP {response.status_code} {sorted(reasons)}", retryable=False)
        items = body.get("items", [])
        if not items:
            raise PlatformError(f"youtube: video {external_id} not found (private or deleted)", retryable=False)
        statistics = items[0].get("statistics", {})
        return Reading({"views": _int(statistics.get("viewCount")), "likes": _int(statistics.get("likeCount")),
                        "comments": _int(statistics.get("commentCount"))})


class TikTokClient(_HttpClient):
    """`POST /v2/video/query/?fields=...` with `{"filters": {"video_ids": [...]}}` (Display API)."""

    platform = "tiktok"
    FIELDS = "id,view_count,like_count,comment_count,share_count"

    async def fetch(self, external_id: str) -> Reading:
        token = self.settings.TIKTOK_ACCESS_TOKEN
        response = await self._send("POST", "/v2/video/query/", params={"fields": self.FIELDS},
                                    json={"filters": {"video_ids": [external_id]}},
                                    headers={"Authorization": f"Bearer {token.get_secret_value() if token else 'x'}"})
        body = response.json() if response.content else {}
        code = (body.get("error") or {}).get("code", "ok") if isinstance(body, dict) else "unknown"
        if code == "rate_limit_exceeded":
            raise QuotaExceeded("tiktok: rate limit exceeded", _retry_after(response) or 60)
        if response.status_code >= 400 or code != "ok":
            raise PlatformError(f"tiktok: {code} (HTTP {response.status_code})", retryable=False)
        videos = (body.get("data") or {}).get("videos") or []
        if not videos:
            raise PlatformError(f"tiktok: video {external_id} not found", retryable=False)
        video = videos[0]
        return Reading({"views": _int(video.get("view_count")), "likes": _int(video.get("like_count")),
                        "comments": _int(video.get("comment_count")), "shares": _int(video.get("share_count"))})


def default_clients(http: httpx.AsyncClient | None = None) -> dict[str, MetricsClient]:
    return {client.platform: client for client in (InstagramClient(http=http), YouTubeClient(http=http),
                                                   TikTokClient(http=http))}
