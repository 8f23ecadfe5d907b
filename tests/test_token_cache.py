"""Verified access tokens are remembered per process (`core.security.decode_token`): a remembered token still
expires on time, is verified again under another key, and refresh tokens are never remembered."""

from __future__ import annotations

import time

import pytest

from core.errors import Unauthorized
from core.security import _VERIFIED_ACCESS_TOKENS, create_token, decode_token
from core.settings import get_settings


def test_a_remembered_access_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    # 3 s: `exp` is whole seconds, so the token lives 2-3 s (with 1 s it could expire before its first use)
    monkeypatch.setattr(get_settings(), "ACCESS_TOKEN_EXPIRE_MINUTES", 3 / 60)
    token, _ = create_token("someone", "access")
    assert decode_token(token, "access")["sub"] == "someone"
    assert token in _VERIFIED_ACCESS_TOKENS
    assert decode_token(token, "access")["sub"] == "someone"  # from memory
    time.sleep(3.1)
    with pytest.raises(Unauthorized) as expired:
        decode_token(token, "access")
    assert expired.value.code == "token_expired"
    assert token not in _VERIFIED_ACCESS_TOKENS


def test_a_remembered_token_is_verified_again_under_another_key(monkeypatch: pytest.MonkeyPatch) -> None:
    token, _ = create_token("someone", "access")
    decode_token(token, "access")
    monkeypatch.setattr(get_settings(), "SECRET_KEY", "another-secret-key-long-enough-for-hs256")
    with pytest.raises(Unauthorized) as rejected:
        decode_token(token, "access")
    assert rejected.value.code == "invalid_token"


def test_refresh_tokens_are_not_remembered_nor_taken_as_access_tokens() -> None:
    refresh, _ = create_token("someone", "refresh")
    assert decode_token(refresh, "refresh")["type"] == "refresh"
    assert refresh not in _VERIFIED_ACCESS_TOKENS
    with pytest.raises(Unauthorized):
        decode_token(refresh, "access")
    access, _ = create_token("someone", "access")
    decode_token(access, "access")
    with pytest.raises(Unauthorized):
        decode_token(access, "refresh")  # a remembered access token is still not a refresh token


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import core.security

    monkeypatch.setattr(core.security, "_VERIFIED_ACCESS_TOKENS_MAX", 3)
    _VERIFIED_ACCESS_TOKENS.clear()
    tokens = [create_token(f"user{index}", "access")[0] for index in range(5)]
    for token in tokens:
        decode_token(token, "access")
    assert len(_VERIFIED_ACCESS_TOKENS) <= 3 and tokens[-1] in _VERIFIED_ACCESS_TOKENS
