"""Entry points of the channel processes that `cli/services.py` declares (`influency services start NAME`):
`python -m cli.channels smtp-sink | whatsapp-standin | whatsapp-business`."""

from __future__ import annotations

import asyncio

import typer

from cli.main import _bootstrap
from core.settings import get_settings

channel_services = typer.Typer(help="Channel processes (use `influency services start NAME`).")


@channel_services.command("smtp-sink")
def smtp_sink() -> None:
    """Run the local SMTP sink on SMTP_HOST:SMTP_PORT."""
    _bootstrap()
    from tools.integrations.mailbox import Mailbox
    from tools.integrations.smtp_sink import serve_smtp_sink

    settings = get_settings()
    asyncio.run(serve_smtp_sink(Mailbox.default(settings), settings.SMTP_HOST, settings.SMTP_PORT))


@channel_services.command("whatsapp-standin")
def whatsapp_standin() -> None:
    """Run the local WhatsApp Cloud API stand-in on WHATSAPP_STANDIN_PORT."""
    _bootstrap()
    import uvicorn

    from api.standins.whatsapp_cloud import create_standin_app

    uvicorn.run(create_standin_app(), host="127.0.0.1", port=get_settings().WHATSAPP_STANDIN_PORT,
                log_config=None, access_log=False)


@channel_services.command("whatsapp-business")
def whatsapp_business() -> None:
    """Run the WhatsApp Business service on WHATSAPP_BUSINESS_PORT."""
    _bootstrap()
    from api.server import run

    settings = get_settings()
    run("api.whatsapp_business.app:create_app", factory=True, host=settings.HOST, port=settings.WHATSAPP_BUSINESS_PORT)


if __name__ == "__main__":
    channel_services()
