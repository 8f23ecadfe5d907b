"""The console's other pages in a real browser: the brief chat to a confirmed brief, the campaign page, a creator
signing their contract, an invoice download, a forged form post refused, a creator kept out of manager pages."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import expect
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.agents_flow import confirmed_campaign, decide, pending, seed_creator
from tests.browser.conftest import LAPTOP, PHONE, screenshot, sign_in
from tests.conftest import manager_headers
from tests.support.contracts_flow import agreed_negotiation, sent_contract
from tests.support.jobs import run_jobs

BRIEF_TURNS = [
    "We launch the Acme protein bar, awareness campaign, budget 20k EUR.",
    "Fitness creators in Spain on Instagram, 10k-500k followers, max 1500 EUR each, ideally 900.",
    "Each creator posts 1 Instagram reel and 3 stories by April 10.",
    "Usage rights 6 months organic + paid, 2 months exclusivity.",
    "Payment: 30% on signature, 40% when the reel is approved, 30% at the end.",
]


async def test_brief_chat_to_confirm(client: httpx.AsyncClient, new_page: Any) -> None:
    await manager_headers(client)
    await seed_creator("Ana Ruiz")
    page = await new_page(LAPTOP)
    await sign_in(page, "maria")
    await page.get_by_role("link", name="Campaigns").click()
    await page.get_by_label("Name").fill("Spring launch")
    await page.get_by_role("button", name="Create and write the brief").click()
    await page.wait_for_url("**/brief")
    message = page.get_by_label("Your message")
    for number, text in enumerate(BRIEF_TURNS, start=1):
        await message.fill(text)
        await page.get_by_role("button", name="Send").click()
        await expect(page.locator(".chat li.manager")).to_have_count(number)
        message = page.get_by_label("Your message")
    await expect(page.locator(".brief-fields")).to_contain_text("Acme protein bar")
    await expect(page.locator(".brief-fields")).to_contain_text("fee ceiling")
    await screenshot(page, "brief-laptop")
    await page.set_viewport_size(PHONE)
    await screenshot(page, "brief-phone")
    await page.set_viewport_size(LAPTOP)
    await page.get_by_role("button", name="Confirm brief and find creators").click()
    await page.wait_for_url("**/app/campaigns/*")
    await run_jobs()  # discovery
    await page.get_by_role("link", name="Pending approvals").click()
    await expect(page.locator(".item .badge.kind-shortlist")).to_have_count(1)


async def test_creator_signs_contract_and_manager_downloads_the_invoice(client: httpx.AsyncClient,
                                                                      new_page: Any) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    contract = await sent_contract(client, headers, deal)

    creator = await new_page(PHONE)
    await sign_in(creator, "cleo")
    await creator.wait_for_url("**/app/me")
    await creator.goto(f"/app/me/campaigns/{deal.campaign_id}/contract")
    await expect(creator.locator("h1")).to_contain_text(contract["reference"])
    await creator.get_by_label("Your full name").fill("Cleo Park")
    await creator.get_by_role("checkbox").check()
    await creator.get_by_role("button", name="Sign the contract").click()
    await expect(creator.locator("#contract-status")).to_have_text("awaiting_countersignature")
    await expect(creator.locator("main")).to_contain_text("Signed by Cleo Park (creator)")
    await run_jobs()

    # the advance: approved, paid, invoiced; the manager downloads the invoice from the campaign page
    [approval] = await pending(client, headers, "payment")
    assert (await decide(client, headers, approval["id"], "approve")).status_code == 200
    payment_id = approval["action_request"]["args"]["payment_id"]
    assert (await client.post(f"/payments/{payment_id}/process", headers=headers)).status_code == 200
    manager = await new_page(LAPTOP)
    await sign_in(manager, "maria")
    await manager.goto(f"/app/campaigns/{deal.campaign_id}")
    invoice_link = manager.locator("#section-payments a", has_text="(PDF)")
    await expect(invoice_link).to_have_count(1)
    await expect(manager.locator("#section-contracts")).to_contain_text("awaiting_countersignature")
    await screenshot(manager, "campaign-laptop")
    await manager.set_viewport_size(PHONE)
    await screenshot(manager, "campaign-phone")
    async with manager.expect_download() as download_info:
        await invoice_link.click()
    download = await download_info.value
    pdf = await asyncio.to_thread(Path(await download.path()).read_bytes)
    assert download.suggested_filename.startswith("INV-") and pdf.startswith(b"%PDF")

    # the manager countersigns on the campaign page; the creator finds the invoice among their payments
    await manager.set_viewport_size(LAPTOP)
    await manager.get_by_label("Your full name").fill("Maria Lopez")
    await manager.locator("#section-contracts").get_by_role("checkbox").check()
    await manager.get_by_role("button", name="Countersign").click()
    await expect(manager.locator("#section-contracts")).to_contain_text("Countersigned: the contract is active")
    await creator.goto("/app/me/payments")
    await expect(creator.locator("main a", has_text="(PDF)")).to_have_count(1)


async def test_forged_form_post_is_refused_and_a_creator_cannot_open_manager_pages(
        client: httpx.AsyncClient, new_page: Any, local_http_server: Any, server: str) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    await confirmed_campaign(client, headers)
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")

    # another site (same host, other port: same-site, so the cookies go along) posts a form at the console
    forged = (f'<form id="f" method="post" action="{server}/app/inbox/batch">'
              f'<input name="selected" value="{shortlist["id"]}"><input name="csrf_token" value="guess"></form>'
              '<script>document.getElementById("f").submit()</script>')
    evil = await local_http_server(Starlette(routes=[Route("/", lambda _: HTMLResponse(forged))]))
    page = await new_page(LAPTOP)
    await sign_in(page, "maria")
    await page.wait_for_url("**/app/inbox")
    await page.goto(evil)
    await page.wait_for_url(f"{server}/app/inbox/batch")
    await expect(page.locator("main")).to_contain_text("did not come from this site")
    assert [item["id"] for item in await pending(client, headers, "shortlist")] == [shortlist["id"]]

    await client.post("/auth/register/creator", json={
        "email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park"})
    creator = await new_page(LAPTOP)
    await sign_in(creator, "cleo")
    await creator.wait_for_url("**/app/me")
    response = await creator.goto("/app/inbox")
    assert response is not None and response.status == 403
    await expect(creator.locator("h1")).to_have_text("Not allowed")
    response = await creator.goto(f"/app/inbox/{shortlist['id']}")
    assert response is not None and response.status == 403
