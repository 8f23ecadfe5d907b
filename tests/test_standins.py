"""Stand-ins only where nothing real is configured: `up` skips the SMTP sink and the WhatsApp stand-in when their
settings point elsewhere, when a server already answers there, or when they are turned off."""

from __future__ import annotations

import socket

from pydantic import SecretStr

from cli.services import find_service, skip_reason
from core.settings import Settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_smtp_sink_runs_only_when_nothing_answers_on_loopback() -> None:
    port = _free_port()
    settings = Settings(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    sink = find_service(settings, "smtp-sink")
    assert sink is not None and sink.standin
    assert skip_reason(sink, settings) is None
    with socket.socket() as listener:  # a mail catcher already listening there: use it
        listener.bind(("127.0.0.1", port))
        listener.listen()
        assert "already answers" in (skip_reason(sink, settings) or "")
    assert "smtp.example.com" in (skip_reason(sink, Settings(SMTP_HOST="smtp.example.com")) or "")
    assert skip_reason(sink, Settings(SMTP_SINK="off", SMTP_PORT=port)) == "SMTP_SINK=off"


def test_whatsapp_standin_runs_only_without_a_real_provider() -> None:
    port = _free_port()
    settings = Settings(WHATSAPP_STANDIN_PORT=port)
    standin = find_service(settings, "whatsapp-standin")
    assert standin is not None
    assert skip_reason(standin, settings) is None
    assert "graph.facebook.com" in (skip_reason(standin, Settings(WHATSAPP_ACCESS_TOKEN=SecretStr("t"))) or "")
    assert skip_reason(standin, Settings(WHATSAPP_STANDIN="off")) == "WHATSAPP_STANDIN=off"
