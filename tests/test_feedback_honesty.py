"""Honest feedback: what the offline rules can turn into a change is applied and listed, what they cannot is
reported as not applied — the reasoning never claims an effect that did not happen (before/after compared)."""

from __future__ import annotations

import httpx

from agents.discovery.feedback import apply_feedback
from agents.tasks.drafting import draft_outreach
from agents.tasks.types import CampaignBrief, CreatorProfile
from tests.agents_flow import approved_shortlist_drafts, confirmed_campaign, decide, pending, seed_creator
from tests.conftest import manager_headers
from tests.support.jobs import run_jobs

PROFILE = CreatorProfile(creator_id="c1", display_name="Lia Moreno", first_name="Lia",
                         bio="Home training videos and quick healthy recipes", categories=["fitness"],
                         platforms={"instagram": {"handle": "@lia", "followers": 48_000}})
BRIEF = CampaignBrief(product="Acme protein bar", platforms=["instagram"], categories=["fitness"])


def test_shortlist_feedback_becomes_filters_and_is_listed() -> None:
    brief = CampaignBrief(countries=["ES"], min_followers=20_000, categories=["fitness"])
    effect = apply_feedback(brief, ["Only creators with more than 100k followers. Only Portugal. Make them funnier."])
    assert effect.brief.min_followers == 100_000 and effect.brief.countries == ["PT"]
    assert "min followers 20,000 → 100,000" in effect.applied and "countries ES → PT" in effect.applied
    assert effect.unapplied == ["Make them funnier."]
    assert brief.min_followers == 20_000  # the frozen brief is untouched


async def test_mention_from_the_profile_changes_the_draft() -> None:
    first = (await draft_outreach(PROFILE, BRIEF, "email")).value
    redraft = await draft_outreach(PROFILE, BRIEF, "email", previous=first, feedback="Mention her training videos")
    assert redraft.value.body_text != first.body_text
    assert "training videos" in redraft.value.body_text
    assert any(note.startswith("feedback applied") for note in redraft.notes)


async def test_feedback_that_changes_nothing_says_so() -> None:
    first = (await draft_outreach(PROFILE, BRIEF, "email")).value
    redraft = await draft_outreach(PROFILE, BRIEF, "email", previous=first, feedback="Mention her dog Rex")
    assert redraft.value.body_text == first.body_text
    assert "the redraft is unchanged: edit the draft by hand" in redraft.notes


async def test_shortlist_rejection_with_a_follower_bound_reruns_with_it(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz", followers=50_000)
    await seed_creator("Bea Sol", followers=250_000)
    await confirmed_campaign(client, headers)
    await run_jobs()
    [first] = await pending(client, headers, "shortlist")
    assert {c["display_name"] for c in first["action_request"]["args"]["creators"]} == {"Ana Ruiz", "Bea Sol"}
    await decide(client, headers, first["id"], "reject", feedback="Only creators with more than 100k followers")
    await run_jobs()
    [second] = await pending(client, headers, "shortlist")
    assert [c["display_name"] for c in second["action_request"]["args"]["creators"]] == ["Bea Sol"]
    reasoning = (await client.get(f"/approvals/{second['id']}", headers=headers)).json()["reasoning"]
    assert "min followers 10,000 → 100,000" in reasoning and "Not applied" not in reasoning


def test_brief_can_ask_for_every_channel() -> None:
    import datetime as dt

    from agents.tasks.brief_rules import read_message

    today = dt.date(2026, 1, 1)
    assert read_message("Reach them on both email and WhatsApp.", today).outreach_channels == "all"
    assert read_message("Contact each creator only on their preferred channel", today).outreach_channels == "preferred"
    assert read_message("Budget 5k EUR for Instagram", today).outreach_channels is None


async def test_one_outreach_per_creator_on_the_preferred_channel_signed_by_the_company(
        client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client, company="Acme Foods")
    await seed_creator("Ana Ruiz", whatsapp_phone="+34600000001", whatsapp_opt_in=True)
    await seed_creator("Bea Sol", whatsapp_phone="+34600000002", whatsapp_opt_in=True, preferred_channel="whatsapp")
    _, drafts = await approved_shortlist_drafts(client, headers)
    channels = {d["action_request"]["args"]["to"]: d["action_request"]["args"]["channel"] for d in drafts}
    assert channels == {"ana.ruiz@example.com": "email", "+34600000002": "whatsapp"}
    assert all("The Acme Foods team" in d["action_request"]["args"]["body_text"] for d in drafts)
