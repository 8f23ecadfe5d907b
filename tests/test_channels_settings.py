"""Channel settings: dev secrets generated once into DATA_DIR (so the stand-in and the receiver agree with no
configuration), explicit ones required in production, and where WhatsApp requests go."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from core.settings import ConfigurationError, Settings


def _settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(DATA_DIR=tmp_path, _env_file=None, **values)  # type: ignore[call-arg]


def test_dev_secrets_are_generated_once_and_shared(tmp_path: Path) -> None:
    first = _settings(tmp_path)
    first.ensure_channel_secrets()
    for name in ("whatsapp_app_secret", "whatsapp_verify_token", "inbound_email_secret"):
        assert (tmp_path / name).stat().st_mode & 0o077 == 0
    other_process = _settings(tmp_path)
    assert other_process.whatsapp_app_secret() == first.whatsapp_app_secret()
    assert other_process.inbound_email_secret() == first.inbound_email_secret() != first.whatsapp_app_secret()
    configured = _settings(tmp_path, WHATSAPP_APP_SECRET=SecretStr("from-env"), WHATSAPP_WEBHOOK_VERIFY_TOKEN="")
    assert configured.whatsapp_app_secret() == "from-env"
    assert configured.whatsapp_verify_token() == first.whatsapp_verify_token()  # empty counts as unset
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_production_needs_explicit_channel_settings(tmp_path: Path) -> None:
    production = _settings(tmp_path, ENVIRONMENT="production", SECRET_KEY=SecretStr("k" * 40),
                           DATABASE_URL="postgresql://x/y")
    production.ensure_channel_secrets()  # no-op: nothing is generated in production
    with pytest.raises(ConfigurationError, match="WHATSAPP_APP_SECRET"):
        production.whatsapp_app_secret()
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL"):
        _ = production.public_base_url
    assert production.whatsapp_api_base_url == "https://graph.facebook.com"


def test_whatsapp_goes_to_the_stand_in_unless_configured(tmp_path: Path) -> None:
    assert _settings(tmp_path, WHATSAPP_STANDIN_PORT=8142).whatsapp_api_base_url == "http://127.0.0.1:8142"
    with_token = _settings(tmp_path, WHATSAPP_ACCESS_TOKEN=SecretStr("EAAG..."))
    assert with_token.whatsapp_api_base_url == "https://graph.facebook.com"
    explicit = _settings(tmp_path, WHATSAPP_API_BASE_URL="http://proxy:9000/")
    assert explicit.whatsapp_api_base_url == "http://proxy:9000"
    assert _settings(tmp_path, EMAIL_FROM_ADDRESS="hi@brand.io").email_reply_domain == "brand.io"
