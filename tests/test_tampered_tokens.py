"""What held in the audit stays held: no tampered access token is accepted (a changed claim, a flipped signature,
`alg: none`, another key, another algorithm, a refresh token presented as an access token)."""

from __future__ import annotations

import base64
import json

import httpx
import jwt

from tests.conftest import login, manager_headers


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _tampered(token: str, refresh: str, other_user: str) -> dict[str, str]:
    header_b64, payload_b64, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    header = jwt.get_unverified_header(token)
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    return {
        "flipped signature": f"{header_b64}.{payload_b64}.{flipped}",
        "other user, old signature": f"{header_b64}.{_b64(claims | {'sub': other_user})}.{signature}",
        "later expiry, old signature": f"{header_b64}.{_b64(claims | {'exp': claims['exp'] + 86400})}.{signature}",
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload_b64}.",
        "alg none, no dot": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload_b64}",
        "another key": jwt.encode(claims, "not-the-secret-key-but-long-enough-32b", algorithm=header["alg"]),
        "HS512 with another key": jwt.encode(claims, "k" * 64, algorithm="HS512"),
        "refresh token as access": refresh,
        "no signature": f"{header_b64}.{payload_b64}",
        "garbage": "not.a.token",
    }


async def test_no_tampered_access_token_is_accepted(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    other = await manager_headers(client, "gina", "Globex")
    other_id = (await client.get("/auth/me", headers=other)).json()["id"]
    tokens = await login(client, "maria")
    assert (await client.get("/auth/me", headers=headers)).status_code == 200
    for name, token in _tampered(tokens["access_token"], tokens["refresh_token"], other_id).items():
        response = await client.get("/campaigns/", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (name, response.text)
