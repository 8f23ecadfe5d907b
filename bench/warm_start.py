"""Warm start benchmark: from `influency up` to the first search and the first shortlist, on the README's data.

    .venv/bin/python -m bench.warm_start            # the real embedding model (EMBEDDING_PROVIDER=minilm)
    .venv/bin/python -m bench.warm_start --runs 2

Starts `influency up` as a user would (embedded defaults, a fresh data directory, free ports, its own broker
namespace: never your data or a running `make run`), then, as the README's walkthrough does:
  - the time to `/health` (the API answers) and to `/ready` (database, broker and the embedding model loaded);
  - the first `/creators/search` after ready (target ≤ 1 s) and a second one, the warm baseline of the same run;
  - the brief conversation of the README, confirm, and the time until the shortlist approval is in the inbox
    (target ≤ 5 s): the discovery agent runs in a worker, fed through the outbox and the relay.
Figures are printed, never asserted; the load average is printed too (other work on shared cores slows them).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

console = Console(width=140)
ROOT = Path(__file__).resolve().parent.parent
BRIEF = ["We launch the Acme protein bar, awareness campaign, budget 20k EUR.",
         "Fitness creators in Spain on Instagram, 10k-500k followers, max 1500 EUR each, ideally 900.",
         "Each creator posts 1 Instagram reel and 3 stories by April 10.",
         "Usage rights 6 months organic + paid, 2 months exclusivity.",
         "Payment: 30% on signature, 40% when the reel is approved, 30% at the end."]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _until(predicate: object, timeout: float, step: float = 0.05) -> float:
    """Seconds until `predicate()` is true (raises after `timeout`)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if predicate():  # type: ignore[operator]
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(step)
    raise TimeoutError(f"not within {timeout} s")


def one_run(provider: str) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-warm-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "BROKER"}}
    env.update({"DATA_DIR": str(data_dir), "PORT": str(port), "ENVIRONMENT": "development", "LOG_LEVEL": "WARNING",
                "EMBEDDING_PROVIDER": provider, "LLM_PROVIDER": "offline", "HF_HUB_OFFLINE": "1",
                "BROKER_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}", "SMTP_PORT": str(_free_port()),
                "WHATSAPP_BUSINESS_PORT": str(_free_port()), "WHATSAPP_STANDIN_PORT": str(_free_port()),
                "METRICS_STANDIN_PORT": str(_free_port())})
    api = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "cli.main", "up"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    figures: dict[str, float] = {}
    try:
        with httpx.Client(base_url=api, timeout=60) as client:
            _until(lambda: client.get("/health").status_code == 200, 300)
            figures["up → /health s"] = time.perf_counter() - started
            _until(lambda: client.get("/ready").status_code == 200, 300)
            figures["up → /ready s"] = time.perf_counter() - started
            client.post("/auth/register/user", json={"email": "maria@acme.com", "username": "maria",
                                                     "password": "correct-horse-1", "full_name": "Maria Lopez",
                                                     "company_name": "Acme"}).raise_for_status()
            for name in ("ana", "bea"):
                client.post("/auth/register/creator", json={
                    "email": f"{name}@example.com", "username": name, "password": "correct-horse-1",
                    "full_name": f"{name.title()} Ruiz", "category": "fitness", "instagram_followers": 52000,
                    "country": "ES"}).raise_for_status()
            token = client.post("/auth/login", data={"username": "maria", "password": "correct-horse-1"})
            client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
            for label in ("first search after ready s", "second search s"):
                begun = time.perf_counter()
                client.get("/creators/search", params={"query": "fitness creators in Spain", "limit": 10}
                           ).raise_for_status()
                figures[label] = time.perf_counter() - begun
            campaign = client.post("/campaigns/", json={"name": "Spring launch"}).json()["id"]
            for text in BRIEF:
                client.post(f"/campaigns/{campaign}/brief/messages", json={"text": text}).raise_for_status()
            begun = time.perf_counter()
            client.post(f"/campaigns/{campaign}/brief/confirm").raise_for_status()
            figures["confirm → shortlist s"] = _until(lambda: client.get("/approvals", params={
                "status": "pending", "kind": "shortlist", "campaign_id": campaign}).json()["total"] >= 1, 300)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--provider", default="minilm", choices=["minilm", "hash"])
    args = parser.parse_args()
    runs = [one_run(args.provider) for _ in range(args.runs)]
    table = Table("figure", *[f"run {i + 1}" for i in range(len(runs))], "target")
    targets = {"first search after ready s": "≤ 1", "confirm → shortlist s": "≤ 5"}
    for key in runs[0]:
        table.add_row(key, *[f"{run[key]:.2f}" for run in runs], targets.get(key, ""))
    console.print(table)
    console.print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; embeddings: {args.provider}")


if __name__ == "__main__":
    main()
