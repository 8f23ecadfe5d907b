"""The WhatsApp Business service app: /whatsapp (send, status, templates), /webhook (Meta's callbacks, the same
handlers as the main API's /webhooks/whatsapp), /health. Same middleware, errors and auth as the main API."""

from __future__ import annotations

from fastapi import FastAPI

from api.app import lifespan  # same engine/Redis lifecycle as the main API
from api.errors import install_error_handlers
from api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from api.openapi import install_openapi
from api.routers.health import health
from api.routers.webhooks import whatsapp_webhook_router
from api.whatsapp_business.routes import router as business_router
from core.logging import configure_logging
from core.settings import get_settings, set_process_defaults


def create_app() -> FastAPI:
    set_process_defaults()
    settings = get_settings()
    configure_logging(settings.LOG_LEVEL, settings.LOG_FORMAT)
    app = FastAPI(title="Influency WhatsApp Business service", version="0.1.0", lifespan=lifespan,
                  description="Send WhatsApp messages (queued, delivered by workers), follow their status, list "
                              "templates; receives Meta's webhooks at /webhook.")
    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.MAX_REQUEST_BODY_BYTES)
    app.add_middleware(RequestContextMiddleware)
    app.add_api_route("/health", health, methods=["GET"], tags=["health"])
    app.include_router(business_router)
    app.include_router(whatsapp_webhook_router("/webhook"))
    install_openapi(app)
    return app
