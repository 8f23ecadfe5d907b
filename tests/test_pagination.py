"""Every list endpoint pages through the one dependency (`api/pagination.py`): out-of-range `limit`/`offset` — an
offset past 2^63 used to be a 500 on eight of them — is a 422 naming the field and the bound."""

from __future__ import annotations

import httpx

from tests.conftest import login, manager_headers

MANAGER_LISTS = ["/campaigns/", "/approvals", "/contracts", "/deliverables", "/payments/", "/do-not-contact",
                 "/notifications", "/creators/", "/creators/search", "/analytics/campaigns", "/analytics/creators"]
CREATOR = {"email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park",
           "category": "beauty", "instagram_followers": 52000, "country": "GB"}


QUERIES: list[dict[str, int | str]] = [{"offset": 2**63}, {"offset": 10**12}, {"offset": -1}, {"limit": 0},
                                       {"limit": 10_000}, {"limit": "many"}]


async def test_out_of_range_pages_are_422_everywhere(client: httpx.AsyncClient) -> None:
    manager = await manager_headers(client)
    assert (await client.post("/auth/register/creator", json=CREATOR)).status_code == 201
    creator = {"Authorization": f"Bearer {(await login(client, 'cleo'))['access_token']}"}
    for query in QUERIES:
        for path, headers in [*((path, manager) for path in MANAGER_LISTS), ("/creators/me/deliverables", creator)]:
            response = await client.get(path, params=query, headers=headers)
            assert response.status_code == 422, (path, query, response.text)
            [field] = query
            assert response.json()["message"].startswith(f"{field}:"), (path, response.text)
    # in range: served
    for path in MANAGER_LISTS:
        assert (await client.get(path, params={"limit": 1, "offset": 0}, headers=manager)).status_code == 200, path


async def test_the_schema_states_the_bounds(app) -> None:  # type: ignore[no-untyped-def]
    for path in MANAGER_LISTS:
        parameters = {p["name"]: p["schema"] for p in app.openapi()["paths"][path]["get"]["parameters"]}
        assert parameters["limit"]["minimum"] == 1 and parameters["limit"]["maximum"] <= 500, path
        assert parameters["offset"]["minimum"] == 0 and parameters["offset"]["maximum"] <= 1_000_000, path
