"""FastAPI app factory: middleware, the global error handler, routers, lifespan."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.console import install_console
from api.errors import install_error_handlers
from api.metrics import OUTBOX_REFUSED, QUEUE_DEPTH, SERVICE_RESTARTS, scrape_hooks
from api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware, SecurityHeadersMiddleware
from api.openapi import install_openapi
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
from core.heap import freeze_after
from core.logging import configure_logging
from core.settings import get_settings, set_process_defaults
from core.supervision import read_restart_counts, services_state_path
from store.analytics.clicks import drain_clicks
from store.db import dispose_engine, get_engine, unit_of_work
from store.outbox.repository import OutboxRepository
from store.redis import close_redis
from tools.embeddings.warmup import start_warmup


async def _refresh_queue_depth() -> None:
    from tools.broker import queue_depths

    for queue, depth in (await asyncio.to_thread(queue_depths)).items():
        QUEUE_DEPTH.labels(queue).set(depth)


async def _refresh_outbox_refused() -> None:
    async with unit_of_work() as session:
        OUTBOX_REFUSED.totals = dict(await OutboxRepository(session).count_refused())


async def _refresh_service_restarts() -> None:
    SERVICE_RESTARTS.totals = dict(read_restart_counts(services_state_path(get_settings().data_dir)))


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    get_engine()  # fail fast on a bad DATABASE_URL
    # the embedding model loads in the background (/health answers at once, /ready reports it); then the boot-time
    # heap is frozen, out of the garbage collector's full passes (core/heap.py)
    freeze_after([start_warmup()])
    yield
    await drain_clicks()  # redirects' clicks still held by this process go to the Redis buffer before it closes
    await dispose_engine()
    await close_redis()


def _telemetry_option(enabled: bool) -> dict[str, Any]:
    """FastAPI's native telemetry, where this FastAPI has it (0.16x): off unless enabled, so a request skips its
    check of the environment for a configured OpenTelemetry provider."""
    if enabled or "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def create_app() -> FastAPI:
    set_process_defaults()
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, settings.LOG_FORMAT)
    settings.secret_key()  # a missing key in production stops startup here, not at the first login
    # Swagger UI and ReDoc assets are served by the app itself (fastapi-offline ships them): /docs renders offline.
    app = FastAPIOffline(
        title="Influency",
        version="0.1.0",
        description="Agentic outreach orchestrator for influencer marketing. Nothing leaves without a human decision.",
        lifespan=lifespan,
        debug=settings.DEBUG,
        **_telemetry_option(settings.FASTAPI_TELEMETRY),
    )
    install_error_handlers(app)
    app.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS, allow_credentials=True,
                       allow_methods=["*"], allow_headers=["*"], expose_headers=["X-Request-ID"])
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.MAX_REQUEST_BODY_BYTES)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.FORWARDED_ALLOW_IPS.strip():
        # Outermost: X-Forwarded-For / -Proto rewrite the client only when the TCP peer is a configured proxy.
        # Done here (not by uvicorn, see `cli serve`) so it holds however the app is served.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.FORWARDED_ALLOW_IPS)
    for hook in (_refresh_queue_depth, _refresh_outbox_refused, _refresh_service_restarts):
        if hook not in scrape_hooks:
            scrape_hooks.append(hook)
    # Routes are matched in this order, one by one: the approval inbox, the API's hottest, right after health.
    for router in (health.router, approvals.router, auth.router, campaigns.router, creator_campaigns.router,
                   webhooks.router, do_not_contact.router, unsubscribe.router, dev.router, contracts.router,
                   deliverables.router, payments.router, creators.router, negotiation.router, analytics.router):
        app.include_router(router)
    install_console(app)
    install_openapi(app)
    return app
