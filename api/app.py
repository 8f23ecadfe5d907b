"""FastAPI app factory: middleware, the global error handler, routers, lifespan."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.errors import install_error_handlers
from api.metrics import QUEUE_DEPTH, scrape_hooks
from api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from api.routers import (
    analytics,
    approvals,
    auth,
    campaigns,
    contracts,
    creator_campaigns,
    creators,
    deliverables,
    dev,
    do_not_contact,
    health,
    negotiation,
    payments,
    unsubscribe,
    webhooks,
)
from core.logging import configure_logging
from core.settings import get_settings, set_process_defaults
from store.db import dispose_engine, get_engine
from store.redis import close_redis


async def _refresh_queue_depth() -> None:
    from workers.metrics import queue_depths

    for queue, depth in (await asyncio.to_thread(queue_depths)).items():
        QUEUE_DEPTH.labels(queue).set(depth)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    get_engine()  # fail fast on a bad DATABASE_URL
    yield
    await dispose_engine()
    await close_redis()


def create_app() -> FastAPI:
    set_process_defaults()
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, settings.LOG_FORMAT)
    settings.secret_key()  # a missing key in production stops startup here, not at the first login
    app = FastAPI(
        title="Influency",
        version="0.1.0",
        description="Agentic outreach orchestrator for influencer marketing. Nothing leaves without a human decision.",
        lifespan=lifespan,
        debug=settings.DEBUG,
    )
    install_error_handlers(app)
    app.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS, allow_credentials=True,
                       allow_methods=["*"], allow_headers=["*"], expose_headers=["X-Request-ID"])
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.MAX_REQUEST_BODY_BYTES)
    app.add_middleware(RequestContextMiddleware)
    if _refresh_queue_depth not in scrape_hooks:
        scrape_hooks.append(_refresh_queue_depth)
    for router in (health.router, auth.router, campaigns.router, creator_campaigns.router, approvals.router,
                   webhooks.router, do_not_contact.router, unsubscribe.router, dev.router, contracts.router,
                   deliverables.router, payments.router, creators.router, negotiation.router, analytics.router):
        app.include_router(router)
    return app
