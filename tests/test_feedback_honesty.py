"""Honest feedback: what the offline rules can turn into a change is applied and listed, what they cannot is
reported as not applied — the reasoning never claims an effect that did not happen (before/after compared)."""

from __future__ import annotations

import httpx

from agents.discovery.feedback import apply_feedback
from agents.tasks.drafting import draft_outreach
from agents.tasks.types import CampaignBrief, CreatorProfile
from tests.agents_flow import confirmed_campaign, decide, drain, pending, seed_creator
from tests.conftest import manager_headers

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
    await drain()
    [first] = await pending(client, headers, "shortlist")
    assert {c["display_name"] for c in first["action_request"]["args"]["creators"]} == {"Ana Ruiz", "Bea Sol"}
    await decide(client, headers, first["id"], "reject", feedback="Only creators with more than 100k followers")
    await drain()
    [second] = await pending(client, headers, "shortlist")
    assert [c["display_name"] for c in second["action_request"]["args"]["creators"]] == ["Bea Sol"]
    reasoning = (await client.get(f"/approvals/{second['id']}", headers=headers)).json()["reasoning"]
    assert "min followers 10,000 → 100,000" in reasoning and "Not applied" not in reasoning
