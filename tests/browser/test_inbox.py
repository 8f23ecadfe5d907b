"""The approval inbox in a real browser: sign in, approve a shortlist, edit and approve a draft (the email reaches
the SMTP sink), an offer arriving without a reload, batch approval."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect

from tests.agents_flow import confirmed_campaign, pending, seed_creator
from tests.browser.conftest import LAPTOP, PHONE, screenshot, sign_in
from tests.conftest import manager_headers
from tests.negotiation_flow import email_reply, sent_outreach
from tests.support.jobs import run_jobs


async def test_sign_in_approve_shortlist_then_edit_and_approve_a_draft(client: httpx.AsyncClient, new_page: Any,
                                                                     mail_sink: Any) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    await confirmed_campaign(client, headers)
    await run_jobs()  # discovery: the shortlist approval
    page = await new_page(LAPTOP)
    await sign_in(page, "maria")
    await page.wait_for_url("**/app/inbox")
    await expect(page.locator("#inbox-total")).to_have_text("1")

    await page.keyboard.press("j")  # keyboard: move to the first item, open it, approve it
    await page.keyboard.press("o")
    await expect(page.locator("#detail .card")).to_contain_text("Ana Ruiz")
    await page.keyboard.press("a")
    await expect(page.locator("#detail")).to_contain_text("Shortlist approved")

    await run_jobs()  # outreach: one email draft; the list picks it up by polling
    await expect(page.locator(".item .badge.kind-message")).to_have_count(1, timeout=10_000)
    await page.locator(".item-link").first.click()
    await expect(page.locator("#detail .card-side")).to_contain_text("Why matched")
    body = page.get_by_label("Message", exact=True)
    await expect(body).not_to_be_empty()
    await body.fill("Hola Ana, edited by Maria in the console.")
    await expect(page.locator("#approve-btn")).to_have_text("Approve with my edits")
    await screenshot(page, "inbox-laptop")
    await page.locator("#approve-btn").click()
    await expect(page.locator("#detail")).to_contain_text("Message edited")
    await run_jobs()  # the send job
    [entry] = mail_sink.mailbox.entries()
    assert entry.rcpt_tos == ["ana.ruiz@example.com"]
    stored = mail_sink.mailbox.get(entry.id)
    assert stored is not None and "edited by Maria in the console" in (stored.text or "")


async def test_offer_appears_without_reload_and_batch_approve(client: httpx.AsyncClient, new_page: Any,
                                                             mail_sink: Any) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    page = await new_page(PHONE)
    await sign_in(page, "maria")
    await expect(page.locator("#inbox-total")).to_have_text("0")
    await email_reply(client, thread, "Hi! My rate for a reel is 1300 EUR.", "<reply-1@example.com>")
    await run_jobs()  # the negotiation agent: an offer approval
    offer = page.locator(".item .badge.kind-offer")
    await expect(offer).to_have_count(1, timeout=10_000)  # no reload: the list polls
    await page.locator(".item-link").first.click()
    card = page.locator("#detail .card")
    await expect(card).to_contain_text("Creator asks")
    await expect(card).to_contain_text("1,300")
    await expect(card).to_contain_text("Ceiling per creator")
    await screenshot(page, "inbox-offer-phone")

    # a second campaign's draft too, then both approved at once
    await seed_creator("Bea Gil", followers=60_000)
    await confirmed_campaign(client, headers)
    await run_jobs()
    [shortlist] = [item for item in await pending(client, headers, "shortlist")]
    await expect(page.locator("#inbox-total")).to_have_text("2", timeout=10_000)
    for box in await page.locator(".item input[type=checkbox]").all():
        await box.check()
    await page.get_by_role("button", name="Approve selected").click()
    await expect(page.locator("#detail")).to_contain_text("2 of 2 approved")
    assert not [item for item in await pending(client, headers, "offer")]
    assert shortlist["id"] not in {item["id"] for item in await pending(client, headers, "shortlist")}
