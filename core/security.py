"""Password hashing (pwdlib/argon2) and JWTs (pyjwt) with expiry, issuer and token-type checks.

Argon2 is deliberately slow CPU work (tens of ms, GIL released): request handlers call `hash_password_async` /
`verify_password_async`, which run it in a dedicated pool of `PASSWORD_HASH_THREADS` threads, so a burst of logins
queues there instead of stalling the event loop (and every other request with it).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt
from pwdlib import PasswordHash

from core.errors import Unauthorized
from core.settings import get_settings

TokenType = Literal["access", "refresh"]

_password_hash = PasswordHash.recommended()
# A real hash to verify against when the account does not exist, so timing does not reveal which accounts exist.
_DUMMY_HASH = _password_hash.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    return _password_hash.verify(password, password_hash)


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def password_executor() -> ThreadPoolExecutor:
    """The bounded pool hashing runs in (one per process, created on first use)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=get_settings().PASSWORD_HASH_THREADS,
                                           thread_name_prefix="password-hash")
        return _executor


async def hash_password_async(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(password_executor(), hash_password, password)


async def verify_password_async(password: str, password_hash: str | None) -> bool:
    return await asyncio.get_running_loop().run_in_executor(password_executor(), verify_password, password,
                                                            password_hash)


def create_token(subject: str, token_type: TokenType, *, claims: dict[str, Any] | None = None,
                 jti: str | None = None) -> tuple[str, datetime]:
    settings = get_settings()
    now = datetime.now(UTC)
    if token_type == "access":
        expires = now + timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)
    else:
        expires = now + timedelta(days=settings.REFRESH_TOKEN_EXPIRE_DAYS)
    payload: dict[str, Any] = {
        "sub": subject,
        "iss": settings.JWT_ISSUER,
        "iat": now,
        "nbf": now,
        "exp": expires,
        "type": token_type,
        "jti": jti or uuid.uuid4().hex,
        **(claims or {}),
    }
    token = jwt.encode(payload, settings.secret_key(), algorithm=settings.JWT_ALGORITHM)
    return token, expires


# Access tokens already verified by this process: token → (what it was verified against, its claims). A client
# sends the same access token with every request for its lifetime, and verifying it (base64, HMAC and pyjwt's
# claim checks) costs more than the rest of authenticating. A hit is only taken under the same key, algorithm and
# issuer, and its expiry is checked again; the other time claims (iat, nbf) were in the past when it was verified
# and stay there. Whether the account may still act is not cached: `api.deps.current_principal` asks the
# database on every request.
_VERIFIED_ACCESS_TOKENS: dict[str, tuple[tuple[str, str, str], dict[str, Any]]] = {}
_VERIFIED_ACCESS_TOKENS_MAX = 4096


def decode_token(token: str, expected_type: TokenType) -> dict[str, Any]:
    settings = get_settings()
    verified_with = (settings.secret_key(), settings.JWT_ALGORITHM, settings.JWT_ISSUER)
    cached = _VERIFIED_ACCESS_TOKENS.get(token) if expected_type == "access" else None
    if cached is not None and cached[0] == verified_with:
        payload = cached[1]
        if int(payload["exp"]) <= datetime.now(UTC).timestamp():
            _VERIFIED_ACCESS_TOKENS.pop(token, None)
            raise Unauthorized("Token has expired", code="token_expired")
        return dict(payload)
    try:
        payload = jwt.decode(
            token,
            verified_with[0],
            algorithms=[settings.JWT_ALGORITHM],
            issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "iss", "sub", "type", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Token has expired", code="token_expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid token", code="invalid_token") from exc
    if payload.get("type") != expected_type:
        raise Unauthorized(f"Expected a {expected_type} token", code="invalid_token")
    if expected_type == "access":
        if len(_VERIFIED_ACCESS_TOKENS) >= _VERIFIED_ACCESS_TOKENS_MAX:
            with contextlib.suppress(StopIteration, RuntimeError):  # another thread got there first
                _VERIFIED_ACCESS_TOKENS.pop(next(iter(_VERIFIED_ACCESS_TOKENS)), None)  # the oldest entry
        _VERIFIED_ACCESS_TOKENS[token] = (verified_with, dict(payload))
    return payload


def fingerprint(value: str) -> str:
    """SHA-256 hex of a secret, for storing lookups of tokens without storing the tokens."""
    return hashlib.sha256(value.encode()).hexdigest()
