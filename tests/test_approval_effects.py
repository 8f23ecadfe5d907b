"""The approval-effect map: every kind has exactly one effect, an unknown kind is an error, and the approval
sweeper's process (`python -m cli.approvals sweep`, importing only what that service imports) applies the payment
and contract effects: an expired payment approval returns its payment to a state a manager can ask again from."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from store.approvals.decision import Decision
from store.approvals.effects import EFFECTS, UnknownApprovalKind, apply_effect
from store.db import unit_of_work
from store.models import ApprovalKind
from tests.agents_flow import decide, pending
from tests.conftest import manager_headers
from tests.support.contracts_flow import agreed_negotiation, contract_approval, signed_contract
from tests.support.jobs import run_jobs

ROOT = Path(__file__).resolve().parents[1]


def test_every_approval_kind_has_an_effect() -> None:
    assert set(EFFECTS) == set(ApprovalKind)
    assert all(callable(effect) for effect in EFFECTS.values())


async def test_an_unknown_kind_is_an_error_not_a_silent_no_op() -> None:
    approval: Any = SimpleNamespace(kind="telepathy", id=uuid.uuid4())
    with pytest.raises(UnknownApprovalKind, match="telepathy"):
        await apply_effect(None, approval, Decision("approve"))  # type: ignore[arg-type]


def _sweep_in_the_sweeper_process() -> str:
    """The sweep the scheduler's `approvals.sweep` job runs (`workers.approvals`), as its own process (the one-shot
    `influency approvals sweep`) on the test database."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", "from cli.main import main; main()", "approvals", "sweep"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stderr + done.stdout


def test_the_sweeper_process_imports_no_api_or_agent_code_to_find_its_effects() -> None:
    """The map is reached from the sweeper's own imports; nothing relies on the API or a worker loading it."""
    probe = ("import sys, workers.approvals\n"
             "from store.approvals.effects import EFFECTS\n"
             "from store.models import ApprovalKind\n"
             "assert set(EFFECTS) == set(ApprovalKind)\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('api', 'agents')))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


async def test_the_sweeper_expires_payment_and_contract_approvals_with_their_effects(
        client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    paid_deal = await agreed_negotiation(client, headers)
    await signed_contract(client, headers, paid_deal)  # the signature makes the advance due: a payment approval
    [payment_approval] = await pending(client, headers, "payment")
    payment_id = payment_approval["action_request"]["args"]["payment_id"]
    drafted_deal = await agreed_negotiation(client, headers, creator="dana", campaign_id=paid_deal.campaign_id)
    contract_pending = await contract_approval(client, headers, drafted_deal)
    contract_id = contract_pending["action_request"]["args"]["contract_id"]
    async with unit_of_work() as session:  # their deadline passed, without waiting for it
        await session.execute(text("UPDATE approvals SET expires_at = now() - interval '1 minute' "
                                   "WHERE kind IN ('payment', 'contract') AND status = 'pending'"))

    output = await asyncio.to_thread(_sweep_in_the_sweeper_process)
    assert "expired 2" in output, output

    payment = (await client.get(f"/payments/{payment_id}", headers=headers)).json()
    assert payment["status"] == "rejected"  # not stuck in pending_approval behind an expired approval
    for approval_id in (payment_approval["id"], contract_pending["id"]):
        detail = (await client.get(f"/approvals/{approval_id}", headers=headers)).json()
        assert detail["status"] == "expired" and detail["events"][-1]["actor_type"] == "system"

    asked_again = await client.post(f"/payments/{payment_id}/request-approval", headers=headers)
    assert asked_again.status_code == 200 and asked_again.json()["status"] == "pending_approval", asked_again.text
    [again] = await pending(client, headers, "payment")
    assert (await decide(client, headers, again["id"], "approve")).status_code == 200
    assert (await client.get(f"/payments/{payment_id}", headers=headers)).json()["status"] == "approved"

    await run_jobs()  # the contract run resumes with the expiry and closes its contract
    contract = (await client.get(f"/contracts/{contract_id}", headers=headers)).json()
    assert contract["status"] == "rejected"
