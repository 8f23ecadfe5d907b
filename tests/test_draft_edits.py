"""Learning from the manager's edits: deciding a message approval (an edit; a reject with feedback) keeps a
`draft_edits` row in the decision's own transaction, with the outbox row of the job that embeds it
(`drafts.embed_edit`, idempotent); an approve or a reject without feedback keeps nothing."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from store.db import unit_of_work
from store.jobs import DRAFT_EDITS_EMBED
from tests.agents_flow import decide, message_drafts, seed_creator
from tests.conftest import manager_headers
from tests.support.jobs import run_job, run_jobs


async def edit_rows() -> list[dict]:  # type: ignore[type-arg]
    """Each example with the id of the transaction that wrote it and of the decision's audit event."""
    async with unit_of_work() as session:
        rows = await session.execute(text(
            "SELECT d.kind, d.channel, d.before, d.after, d.feedback, d.approval_id, d.creator_id,"
            " d.embedding IS NOT NULL AS embedded, d.id,"
            " d.xmin::text AS written_by, (SELECT e.xmin::text FROM approval_events e"
            "  WHERE e.approval_id = d.approval_id AND e.event IN ('edited', 'rejected', 'responded')) AS decided_by,"
            " (SELECT o.xmin::text FROM outbox_events o WHERE o.idempotency_key = 'drafts.embed_edit:' || d.id)"
            "  AS embed_job_by"
            " FROM draft_edits d ORDER BY d.kind"))
        return [dict(row._mapping) for row in rows]


async def test_edit_and_reject_with_feedback_are_kept_in_the_decisions_transaction(
        client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    drafts = await message_drafts(client, headers, "Ana Ruiz", "Bea Sol", "Carla Vega", "Dana Ros")
    ana, bea, carla, dana = (drafts[name] for name in ("Ana Ruiz", "Bea Sol", "Carla Vega", "Dana Ros"))
    before = ana["action_request"]["args"]["body_text"]
    edited = "Hola Ana,\n\nWe love your training videos.\n\nUn abrazo,\nMaria from Acme"
    assert (await decide(client, headers, ana["id"], "edit", payload={"body_text": edited})).status_code == 200
    assert (await decide(client, headers, bea["id"], "reject", feedback="Too formal, use her first name")
            ).status_code == 200
    assert (await decide(client, headers, carla["id"], "approve")).status_code == 200
    assert (await decide(client, headers, dana["id"], "reject")).status_code == 200  # no feedback: nothing to learn

    rows = await edit_rows()
    assert [(r["kind"], r["approval_id"] and str(r["approval_id"])) for r in rows] == [
        ("edit", ana["id"]), ("feedback", bea["id"])]
    kept, feedback = rows
    assert kept["before"] == before and kept["after"] == edited and kept["channel"] == "email"
    assert str(kept["creator_id"]) == ana["creator_id"]
    assert feedback["feedback"] == "Too formal, use her first name" and feedback["after"] is None
    # the same transaction id as the decision's audit event: written together, or not at all
    assert all(row["written_by"] == row["decided_by"] == row["embed_job_by"] for row in rows)
    assert not any(row["embedded"] for row in rows)

    jobs = await run_jobs()
    assert sorted(job.result for job in jobs if job.name == DRAFT_EDITS_EMBED.name) == [True, True]
    assert all(row["embedded"] for row in await edit_rows())
    # a redelivered job changes nothing
    assert await run_job(DRAFT_EDITS_EMBED, draft_edit_id=str(kept["id"])) is False


async def test_a_decision_that_fails_keeps_no_example(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    drafts = await message_drafts(client, headers, "Ana Ruiz")
    draft = drafts["Ana Ruiz"]
    assert (await decide(client, headers, draft["id"], "edit", payload={"body_text": "Hi"})).status_code == 200
    again = await decide(client, headers, draft["id"], "edit", payload={"body_text": "Hi again"})
    assert again.status_code == 409
    assert [row["after"] for row in await edit_rows()] == ["Hi"]


def in_managers_voice(draft: str, first_name: str) -> str:
    """What this manager does to every draft: their own greeting and sign-off (the opt-out line kept)."""
    lines = draft.splitlines()
    lines[0] = f"Hola {first_name},"
    # the template's sign-off (in the creator's language) is the line before the company's signature
    closing = next(i for i, line in enumerate(lines[1:-1], 1) if line.endswith(",") and "Acme" in lines[i + 1])
    lines[closing:closing + 2] = ["Un abrazo,", "Maria from Acme"]
    return "\n".join(lines)


async def test_after_recorded_edits_a_new_outreach_draft_is_in_the_managers_voice(
        client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    drafts = await message_drafts(client, headers, "Ana Ruiz", "Bea Sol", "Carla Vega")
    for name, draft in drafts.items():
        body = in_managers_voice(draft["action_request"]["args"]["body_text"], name.split()[0])
        assert (await decide(client, headers, draft["id"], "edit", payload={"body_text": body})).status_code == 200
    await run_jobs()

    await seed_creator("Dana Ros")
    new = await message_drafts(client, headers)  # a second campaign: its shortlist includes Dana
    body = new["Dana Ros"]["action_request"]["args"]["body_text"]
    assert body.startswith("Hola Dana,\n") and "\nUn abrazo,\nMaria from Acme\n" in body
    assert body.rstrip().endswith("no volveremos a escribirte.")  # the (Spanish) opt-out line stays last
    detail = (await client.get(f"/approvals/{new['Dana Ros']['id']}", headers=headers)).json()
    assert "Brand voice applied (learned from 3 manager edits): greeting, sign-off." in detail["reasoning"]


async def test_the_model_gets_the_nearest_edits_as_examples_and_the_notes_say_so() -> None:
    from agents.tasks.drafting import draft_outreach
    from agents.tasks.types import CampaignBrief, CreatorProfile
    from tests.support.fake_models import scripted_model, tool_answer

    profile = CreatorProfile(creator_id="c1", display_name="Nina Berg", first_name="Nina", bio="Cold-water swimming.",
                             categories=["outdoor"], country="NO",
                             platforms={"instagram": {"handle": "@ninaswims", "followers": 31500}})
    brief = CampaignBrief(product="Helly Hansen drysuit", platforms=["instagram"], categories=["outdoor"])
    model = scripted_model(tool_answer("DraftOut", {"subject": "Nina x Helly Hansen", "body_text":
                                                    "Hei Nina, your cold-water swimming on Instagram is great. "
                                                    "Up for a paid reel about our drysuit?\n\nVarm hilsen,\nKari"}))
    examples = [("Hi Ola,\n\nWe loved your hikes.\n\nBest,\nThe team", "Hei Ola,\n\nWe loved your hikes."
                 "\n\nVarm hilsen,\nKari", None), ("Hi Per, ...", None, "Never say 'exactly the kind'")]
    result = await draft_outreach(profile, brief, "email", model=model, examples=examples)
    system = str(model.seen[0][0].content)
    assert "<manager_sent>\nHei Ola," in system and "Never say 'exactly the kind'" in system
    assert result.model == "ToolFakeChatModel" and result.notes == ["guided by 2 of the manager's earlier edits"]


async def test_nearest_examples_by_embedding_fall_back_to_the_latest(client: httpx.AsyncClient) -> None:
    from store.drafts.edits import DraftEditRepository
    from tools.embeddings import embed_query

    headers = await manager_headers(client)
    drafts = await message_drafts(client, headers, "Ana Ruiz", "Bea Sol")
    for name, draft in drafts.items():
        await decide(client, headers, draft["id"], "edit", payload={"body_text": f"Hola {name}"})
    async with unit_of_work() as session:
        organization_id = (await session.execute(text("SELECT organization_id FROM draft_edits LIMIT 1"))).scalar()
        assert organization_id is not None
        near = await DraftEditRepository(session).examples(organization_id, "email", 1,
                                                           near=await embed_query("Bea Sol"))
        assert len(near) == 1  # nothing embedded yet: the latest
    await run_jobs()
    bea_before = drafts["Bea Sol"]["action_request"]["args"]["body_text"]
    async with unit_of_work() as session:
        [nearest] = await DraftEditRepository(session).examples(organization_id, "email", 1,
                                                                near=await embed_query(bea_before))
        assert nearest.after == "Hola Bea Sol" and nearest.creator_name == "Bea Sol"
