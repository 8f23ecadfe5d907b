"""The configured e-signature provider (`ESIGN_PROVIDER`); click-to-sign is built in and the default."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings, get_settings
from store.signing.provider import ESignatureProvider
from tools.esign.click_to_sign import ClickToSignProvider


def esign_provider(session: AsyncSession, settings: Settings | None = None) -> ESignatureProvider:
    settings = settings or get_settings()
    # DocuSign / Dropbox Sign adapters are added here, keyed by ESIGN_PROVIDER.
    return ClickToSignProvider(session, base_url=settings.signing_base_url)
