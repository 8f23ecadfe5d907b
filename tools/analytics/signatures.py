"""HMAC-SHA256 signatures of webhook bodies: the generic conversion webhook (`X-Influency-Signature: sha256=<hex>`)
and Shopify's (`X-Shopify-Hmac-Sha256: <base64>`), both over the raw body bytes, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac

GENERIC_HEADER = "X-Influency-Signature"
SHOPIFY_HEADER = "X-Shopify-Hmac-Sha256"
SHOPIFY_TOPIC_HEADER = "X-Shopify-Topic"


def _digest(body: bytes, secret: str) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def sign_generic(body: bytes, secret: str) -> str:
    return f"sha256={_digest(body, secret).hex()}"


def generic_valid(body: bytes, header: str | None, secret: str) -> bool:
    return bool(header) and hmac.compare_digest(sign_generic(body, secret), (header or "").strip())


def sign_shopify(body: bytes, secret: str) -> str:
    return base64.b64encode(_digest(body, secret)).decode()


def shopify_valid(body: bytes, header: str | None, secret: str) -> bool:
    return bool(header) and hmac.compare_digest(sign_shopify(body, secret), (header or "").strip())
