"""A local stand-in for the platforms' metrics APIs (embedded defaults), answering growing, realistic counts.

- Instagram Graph API: `GET /instagram/{version}/{media_id}/insights?metric=...`
- YouTube Data API v3: `GET /youtube/youtube/v3/videos?part=statistics&id=...`
- TikTok Display API: `POST /tiktok/v2/video/query/?fields=...` `{"filters": {"video_ids": [...]}}`

Counts are deterministic per post id (its scale comes from a hash of the id) and grow with the time since the
stand-in first saw the post, fast at first then levelling off, as real posts do; every read adds a little more so
successive polls always differ. Behaviours for error handling, by id: ending in `429` → rate limited (HTTP 429 with
Retry-After, or the platform's own quota error), ending in `404` → not found / deleted.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse

HALF_LIFE_SECONDS = 6 * 3600  # half of a post's eventual reach arrives in its first six hours


@dataclass
class _State:
    first_seen: dict[str, float] = field(default_factory=dict)
    reads: dict[str, int] = field(default_factory=dict)
    clock: Any = time.time


def _scale(post_id: str) -> float:
    digest = int(hashlib.sha256(post_id.encode()).hexdigest()[:8], 16)
    return 2_000 + digest % 200_000  # eventual impressions between 2k and 202k


def counts(state: _State, post_id: str) -> dict[str, int]:
    now = state.clock()
    first = state.first_seen.setdefault(post_id, now)
    state.reads[post_id] = state.reads.get(post_id, 0) + 1
    progress = 1 - math.exp(-math.log(2) * (now - first + 1800) / HALF_LIFE_SECONDS)
    impressions = int(_scale(post_id) * progress) + 37 * state.reads[post_id]
    seed = int(hashlib.sha256(f"ratio{post_id}".encode()).hexdigest()[:4], 16) / 65535
    likes = int(impressions * (0.025 + 0.03 * seed))
    return {"impressions": impressions, "reach": int(impressions * 0.72), "views": int(impressions * 0.55),
            "likes": likes, "comments": max(0, likes // 24), "shares": max(0, likes // 40),
            "saves": max(0, likes // 30)}


def create_metrics_standin(clock: Any = None) -> FastAPI:
    app = FastAPI(title="Platform metrics stand-in", docs_url=None, redoc_url=None)
    state = _State(clock=clock or time.time)
    app.state.standin = state

    @app.get("/instagram/{version}/{media_id}/insights")
    async def instagram(media_id: str, metric: str = Query(""), access_token: str = Query("")) -> Any:
        if not access_token:
            return JSONResponse({"error": {"message": "An access token is required", "code": 190}}, 400)
        if media_id.endswith("429"):
            return JSONResponse({"error": {"message": "Application request limit reached", "code": 4}}, 400)
        if media_id.endswith("404"):
            return JSONResponse({"error": {"message": "Object does not exist", "code": 100}}, 400)
        values = counts(state, f"ig:{media_id}")
        values["saved"] = values.pop("saves")
        names = [name for name in metric.split(",") if name in values] or list(values)
        return {"data": [{"name": name, "period": "lifetime", "values": [{"value": values[name]}],
                          "id": f"{media_id}/insights/{name}/lifetime"} for name in names]}

    @app.get("/youtube/youtube/v3/videos")
    async def youtube(id: str = Query(""), part: str = Query("statistics")) -> Any:
        if id.endswith("429"):
            return JSONResponse({"error": {"code": 403, "message": "quota", "errors": [
                {"reason": "quotaExceeded", "domain": "youtube.quota"}]}}, 403)
        if id.endswith("404") or not id:
            return {"kind": "youtube#videoListResponse", "items": []}
        values = counts(state, f"yt:{id}")
        return {"kind": "youtube#videoListResponse", "items": [{"kind": "youtube#video", "id": id, "statistics": {
            "viewCount": str(values["views"]), "likeCount": str(values["likes"]), "favoriteCount": "0",
            "commentCount": str(values["comments"])}}]}

    @app.post("/tiktok/v2/video/query/")
    async def tiktok(request: Request) -> Any:
        body = await request.json()
        ids = (body.get("filters") or {}).get("video_ids") or []
        if any(str(video).endswith("429") for video in ids):
            return JSONResponse({"data": {}, "error": {"code": "rate_limit_exceeded", "message": "slow down"}}, 429,
                                headers={"Retry-After": "60"})
        videos = []
        for video in ids:
            if str(video).endswith("404"):
                continue
            values = counts(state, f"tt:{video}")
            videos.append({"id": str(video), "view_count": values["views"], "like_count": values["likes"],
                           "comment_count": values["comments"], "share_count": values["shares"]})
        return {"data": {"videos": videos, "cursor": 0, "has_more": False},
                "error": {"code": "ok", "message": "", "log_id": "standin"}}

    return app
