"""Budget validation: money fields are bounded (≤ 1e12, 2 decimals, finite, not negative) with a message saying
what to fix, and a budget never drops below what contracts already committed against it."""

from __future__ import annotations

import httpx
import pytest

from tests.agents_flow import FULL_BRIEF, create_campaign
from tests.conftest import manager_headers
from tests.support.contracts_flow import agreed_negotiation, sent_contract


@pytest.mark.parametrize("budget", [1e308, "123456789012.345", 1_000_000_000_001, -5, "12.345", "NaN", "Infinity"])
async def test_out_of_bounds_money_is_422_with_a_clear_message(client: httpx.AsyncClient, budget: object) -> None:
    headers = await manager_headers(client)
    response = await client.post("/campaigns/", json={"name": "x", "brief": {**FULL_BRIEF, "budget": budget}},
                                 headers=headers)
    assert response.status_code == 422, response.text
    assert "budget" in response.json()["message"] and "amount" in response.json()["message"]
    campaign = await create_campaign(client, headers)
    response = await client.put(f"/campaigns/{campaign['id']}", json={"brief": {"fee_ceiling": budget}},
                                headers=headers)
    assert response.status_code == 422, response.text


async def test_the_largest_valid_budget_is_kept_exactly(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await create_campaign(client, headers, {**FULL_BRIEF, "budget": "999999999999.99"})
    assert (await client.get(f"/campaigns/{campaign['id']}/budget", headers=headers)).json()["total"]["amount"] == (
        "999999999999.99")


async def test_a_budget_below_committed_spend_is_refused(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers, fee="1200.00", budget=20000)
    await sent_contract(client, headers, deal)  # the approved contract commits EUR 1,200
    url = f"/campaigns/{deal.campaign_id}"
    budget = (await client.get(f"{url}/budget", headers=headers)).json()
    assert (budget["committed"]["amount"], budget["remaining"]["amount"]) == ("1200.00", "18800.00")

    below = await client.put(url, json={"brief": {"budget": 1000}}, headers=headers)
    assert below.status_code == 409 and below.json()["code"] == "budget_below_committed", below.text
    assert "1,200" in below.json()["message"] or "1200" in below.json()["message"]
    assert below.json()["details"]["committed"] == [{"amount": "1200.00", "currency": "EUR"}]
    for change in ({"currency": "USD"}, {"budget": None}):
        refused = await client.put(url, json={"brief": change}, headers=headers)
        assert refused.status_code == 409 and refused.json()["code"] == "budget_committed", refused.text
    assert (await client.get(f"{url}/budget", headers=headers)).json()["remaining"]["amount"] == "18800.00"

    exact = await client.put(url, json={"brief": {"budget": 1200}}, headers=headers)
    assert exact.status_code == 200, exact.text
    assert (await client.get(f"{url}/budget", headers=headers)).json()["remaining"]["amount"] == "0.00"
