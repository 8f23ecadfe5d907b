"""`GET /approvals` and `POST /approvals/{id}/decision` write their JSON with orjson (`api/trusted_json.py`), not
through their response models: what they write must be exactly what the models would write — same fields, same
datetime format — and the same as the detail endpoint, which still goes through pydantic."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from sqlalchemy import update

from api.schemas.approvals import ApprovalOut, ApprovalPage, InboxConfigOut
from store.db import unit_of_work
from store.models import CONFIG_FLAGS
from tests.agents_flow import seed_creator
from tests.conftest import manager_headers
from tests.test_approvals import shortlist_for

FIELDS = list(ApprovalOut.model_fields)
# stored arguments the list decodes and orjson writes again: quotes, escapes, non-ASCII, nesting, numbers survive
ARGS: dict[str, Any] = {"creators": [{"id": 1, "fee": 1250.5, "name": "Zoë \"ZZ\" Ødegård ✓"}],
                        "note": "line\nbreak\\", "empty": {}, "none": None}


def test_the_store_reads_the_flags_the_response_shows() -> None:
    assert tuple(InboxConfigOut.model_fields) == CONFIG_FLAGS


def test_the_list_unpacks_its_columns_in_their_order() -> None:
    from store.approvals.listing import INBOX_COLUMNS

    # `listing._item` unpacks each record positionally: the columns' order is the one it names
    assert [column.key for column in INBOX_COLUMNS] == [
        "id", "kind", "status", "campaign_id", "run_id", "creator_id", "action_id", "action", "args", "config",
        "description", "decision", "created_at", "expires_at", "escalated_at", "decided_at"]


def test_a_stored_config_reads_as_its_flags_alone_each_a_boolean() -> None:
    from store.approvals.listing import _config

    def shown(stored: str | None) -> Any:
        return orjson.loads(orjson.dumps(_config(stored)))

    everything = dict.fromkeys(CONFIG_FLAGS, True)
    assert shown(orjson.dumps(everything | {"allow_teleport": True}).decode()) == everything
    # only a stored `true` reads true: a string, a number, null or a missing flag reads false
    assert shown('{"allow_accept": "true", "allow_edit": 1, "allow_respond": null}') == dict.fromkeys(
        CONFIG_FLAGS, False)
    assert shown(None) == shown("[]") == shown('"allow_accept"') == dict.fromkeys(CONFIG_FLAGS, False)


async def test_fast_json_is_what_the_response_models_write(client: httpx.AsyncClient) -> None:
    from store.approvals.service import ApprovalService, NewApproval
    from store.models import AgentRun, Approval, ApprovalKind

    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    first = await shortlist_for(client, headers)
    async with unit_of_work() as session:
        run = await session.get(AgentRun, first["run_id"])
        assert run is not None
        # keys the models do not declare are dropped, as pydantic drops them
        extra, _ = await ApprovalService(session).open(NewApproval(
            run=run, kind=ApprovalKind.shortlist, action_id="extra:1", request={
                "action_request": {"action": "approve_shortlist", "args": ARGS, "note": "internal"},
                "config": first["config"] | {"allow_teleport": True}, "kind": "shortlist"}))
        await session.execute(update(Approval).where(Approval.id == extra.id).values(
            expires_at=datetime(2099, 1, 2, 3, 4, 5, tzinfo=UTC)))  # whole seconds: no fraction written
    page = await client.get("/approvals", headers=headers, params={"campaign_id": first["campaign_id"]})
    assert page.status_code == 200 and page.headers["content-type"] == "application/json"
    body = page.json()
    assert body == ApprovalPage.model_validate(body).model_dump(mode="json")
    assert [item["action_id"] for item in body["items"]] == ["shortlist:1", "extra:1"]
    listed = body["items"][1]
    assert listed["action_request"] == {"action": "approve_shortlist", "args": ARGS}
    assert "allow_teleport" not in listed["config"] and listed["description"] == ""
    assert listed["expires_at"] == "2099-01-02T03:04:05Z"
    for item in body["items"]:
        detail = (await client.get(f"/approvals/{item['id']}", headers=headers)).json()
        assert {field: detail[field] for field in FIELDS} == item

    decided = await client.post(f"/approvals/{listed['id']}/decision", headers=headers,
                                json={"action": "reject", "feedback": "not these"})
    assert decided.status_code == 200, decided.text
    answer = decided.json()
    assert answer == ApprovalOut.model_validate(answer).model_dump(mode="json")
    assert answer["status"] == "rejected" and answer["decision"]["feedback"] == "not these"
    assert answer["decided_at"].endswith("Z")
    detail = (await client.get(f"/approvals/{listed['id']}", headers=headers)).json()
    assert {field: detail[field] for field in FIELDS} == answer
    # decided: the list writes the decision and decided_at as the decision's own answer did
    again = (await client.get("/approvals", headers=headers, params={"campaign_id": first["campaign_id"]})).json()
    assert next(item for item in again["items"] if item["id"] == listed["id"]) == answer
