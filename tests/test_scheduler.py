"""Periodic work comes from one scheduler (`influency scheduler`, started by `influency up`): it puts each sweep
(approval expiry, stuck sends and follow-ups, contracts for agreed negotiations) on the bulk queue at the
interval its setting gives, and workers run them like any other job."""

from __future__ import annotations

import asyncio

import dramatiq
import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from core.settings import get_settings
from tests.support.jobs import run_jobs
from workers.scheduler import schedule_periodic_jobs

SWEEPS = {"approvals.sweep", "messages.sweep", "contracts.sweep", "analytics.sweep", "agents.sweep"}


def test_each_sweep_is_scheduled_at_its_configured_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "APPROVAL_SWEEP_INTERVAL_SECONDS", 45)
    scheduler = schedule_periodic_jobs(BackgroundScheduler())
    intervals = {job.id: job.trigger.interval.total_seconds() for job in scheduler.get_jobs()}
    settings = get_settings()
    assert intervals == {"approvals.sweep": 45, "contracts.sweep": settings.CONTRACT_SWEEP_INTERVAL_SECONDS,
                         "messages.sweep": settings.MESSAGE_SWEEP_INTERVAL_SECONDS,
                         "analytics.sweep": settings.ANALYTICS_SWEEP_INTERVAL_SECONDS,
                         "agents.sweep": settings.AGENT_RUN_SWEEP_INTERVAL_SECONDS}


async def test_the_scheduler_enqueues_the_sweeps_and_workers_run_them(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("APPROVAL_SWEEP_INTERVAL_SECONDS", "MESSAGE_SWEEP_INTERVAL_SECONDS",
                 "ANALYTICS_SWEEP_INTERVAL_SECONDS", "CONTRACT_SWEEP_INTERVAL_SECONDS",
                 "AGENT_RUN_SWEEP_INTERVAL_SECONDS"):
        monkeypatch.setattr(get_settings(), name, 0.2)
    broker = dramatiq.get_broker()
    broker.flush_all()
    scheduler = schedule_periodic_jobs(BackgroundScheduler())
    scheduler.start()
    try:
        for _ in range(200):  # up to 10 s
            if len(broker.queues["bulk"].queue) >= 10:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown()
    names = [dramatiq.Message.decode(raw).actor_name for raw in list(broker.queues["bulk"].queue)]  # type: ignore[attr-defined]
    assert set(names) == set(SWEEPS) and len(names) >= 10  # at start-up, then again at each interval
    ran = await run_jobs()
    assert {job.name for job in ran} == set(SWEEPS)
    assert all(job.result is not None for job in ran)  # each sweep ran to its count


def test_influency_up_runs_one_scheduler_and_no_sweep_loops() -> None:
    from cli.services import declared_services

    services = declared_services(get_settings())
    assert [s.name for s in services if "scheduler" in s.argv] == ["scheduler"]
    assert not [s.name for s in services if "--loop" in s.argv or "sweep" in s.argv]
