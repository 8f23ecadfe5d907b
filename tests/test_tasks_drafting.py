"""Outreach drafts: real facts only, no money, opt-out lines, WhatsApp limits, feedback-driven redrafts, and the
model path's checks."""

from __future__ import annotations

from decimal import Decimal

from agents.tasks.draft_checks import WHATSAPP_MAX_CHARS, check_draft
from agents.tasks.drafting import draft_outreach
from agents.tasks.types import CampaignBrief, CreatorProfile, Deliverable
from tests.support.fake_models import scripted_model, tool_answer

PROFILE = CreatorProfile(creator_id="c1", display_name="Nina Berg", first_name="Nina", bio="Cold-water swimming.",
                         categories=["outdoor"], country="NO",
                         platforms={"instagram": {"handle": "@ninaswims", "followers": 31500},
                                    "youtube": {"handle": "@ninaswims", "followers": 4000}})
BRIEF = CampaignBrief(product="Helly Hansen drysuit", platforms=["youtube"], categories=["outdoor"],
                      budget=Decimal(40000), currency="NOK", fee_target=Decimal(7000), fee_ceiling=Decimal(9000),
                      deliverables=[Deliverable(platform="youtube", kind="video", quantity=1)])


async def test_email_uses_real_facts_and_names_no_money() -> None:
    result = await draft_outreach(PROFILE, BRIEF, "email")
    draft = result.value
    assert draft.subject and "Nina" in draft.subject
    assert "YouTube" in draft.body_text and "@ninaswims" in draft.body_text and "4K" in draft.body_text
    assert "7000" not in draft.body_text and "7,000" not in draft.body_text and "NOK" not in draft.body_text
    assert "unsubscribe" in draft.body_text
    assert check_draft(draft, PROFILE, BRIEF) == []
    assert (result.model, result.prompt_id, result.prompt_version) == ("offline-rules", "outreach_email", "v2")


async def test_whatsapp_stays_within_the_limit_with_stop_line() -> None:
    many = [Deliverable(platform="youtube", kind=f"segment{i}", quantity=i + 2) for i in range(60)]
    brief = BRIEF.model_copy(update={"deliverables": many})
    draft = (await draft_outreach(PROFILE, brief, "whatsapp")).value
    assert draft.subject is None and "Reply STOP" in draft.body_text
    assert len(draft.body_text) <= WHATSAPP_MAX_CHARS


async def test_redraft_follows_feedback_and_reports_what_it_cannot_apply() -> None:
    first = (await draft_outreach(PROFILE, BRIEF, "email")).value
    result = await draft_outreach(PROFILE, BRIEF, "email", previous=first,
                                  feedback="Shorter and more casual. Write it in Norwegian.")
    assert len(result.value.body_text) < len(first.body_text) and result.value.body_text.startswith("Hey Nina")
    assert any("Norwegian" in note for note in result.notes)
    formal = (await draft_outreach(PROFILE, BRIEF, "email", feedback="More formal, and don't mention followers.",
                                   previous=first)).value
    assert formal.body_text.startswith("Dear Nina") and "followers" not in formal.body_text


async def test_model_draft_with_a_fee_is_rejected() -> None:
    model = scripted_model(tool_answer("DraftOut", {"subject": "Hi Nina", "body_text":
                                                    "Hi Nina, we pay NOK 9,000 for a YouTube video!"}))
    result = await draft_outreach(PROFILE, BRIEF, "email", model=model)
    assert result.model == "offline-rules" and "9,000" not in result.value.body_text
    assert "money" in result.notes[0]
    sent = str(model.seen[0][-1].content)
    assert "9000" not in sent and "fee_ceiling" not in sent  # the model never sees money


async def test_model_draft_that_passes_is_used_with_opt_out_added() -> None:
    model = scripted_model(tool_answer("DraftOut", {"subject": "Nina x Helly Hansen", "body_text":
                                                    "Hi Nina, your cold-water swimming on YouTube is great. "
                                                    "Up for a paid video about our drysuit?"}))
    result = await draft_outreach(PROFILE, BRIEF, "email", model=model)
    assert result.model == "ToolFakeChatModel" and result.value.body_text.endswith(
        "reply \"unsubscribe\" and we won't contact you again.")
