"""`make fuzz`: schemathesis over every operation of the API and of the WhatsApp Business service, as a manager
and as a creator, with many more examples than the suite's bounded test (`tests/test_openapi_fuzz.py`).

    .venv/bin/python -m bench.fuzz [--max-examples 50] [--seed 1]

Checks: no 5xx, every status documented, every body matching its schema. Runs the apps in this process against a
throwaway embedded PostgreSQL (migrated), the local Redis and the stub broker (jobs are written, not run). Prints
operations, requests, seconds, the status spread and each finding with a curl line; exits 1 on any finding.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="influency-fuzz-"))
# Settings are read once per process: the environment comes first.
os.environ.update({
    "ENVIRONMENT": "test", "DATA_DIR": str(TMP / "data"), "SECRET_KEY": secrets.token_urlsafe(32), "BROKER": "stub",
    "REDIS_URL": "redis://127.0.0.1:6379/14", "LLM_PROVIDER": "offline", "EMBEDDING_PROVIDER": "hash",
    "AUTH_RATE_LIMIT_PER_IP": "100000", "AUTH_RATE_LIMIT_PER_ACCOUNT": "100000", "LOG_LEVEL": "ERROR",
})
os.environ.pop("DATABASE_URL", None)

CREATOR = {"email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park",
           "category": "beauty", "instagram_followers": 52000, "country": "GB"}
MANAGER = {"email": "maria@example.com", "username": "maria", "password": "correct-horse-1",
           "full_name": "Maria Lopez", "company_name": "Acme"}


async def _roles(app) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        roles = {}
        for role, path, body in (("manager", "/auth/register/user", MANAGER),
                                 ("creator", "/auth/register/creator", CREATOR)):
            assert (await http.post(path, json=body)).status_code == 201
            tokens = (await http.post("/auth/login", data={"username": body["username"],
                                                           "password": body["password"]})).json()
            roles[role] = {"Authorization": f"Bearer {tokens['access_token']}"}
        return roles


def prepare_database() -> None:
    """A fresh embedded PostgreSQL, migrated (migrations run their own event loop: before ours starts)."""
    from agents.checkpointer import setup_checkpointer
    from core.settings import set_process_defaults
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    set_process_defaults()
    url = start_embedded_postgres(TMP, cleanup="delete")
    upgrade(url)
    db.reset_for_tests(url)
    setup_checkpointer(url)


async def _serve_whatsapp_standin():  # type: ignore[no-untyped-def]
    """The Cloud API stand-in on a free local port (the business service reads templates from it)."""
    import socket

    import uvicorn

    from api.standins.whatsapp_cloud import create_standin_app
    from core.settings import get_settings

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_standin_app(webhook_url="http://127.0.0.1:9/none", status_delay=0),
                                           lifespan="off", log_config=None, access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    get_settings().WHATSAPP_API_BASE_URL = f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop() -> None:
        server.should_exit = True
        await task

    return stop


async def main(max_examples: int, seed: int) -> int:
    from api.app import create_app
    from api.whatsapp_business.app import create_app as create_business_app
    from store import db
    from store.redis import get_redis
    from tests.support.fuzz import fuzz

    await get_redis().flushdb()
    stop_standin = await _serve_whatsapp_standin()
    api = create_app()
    roles = await _roles(api)
    findings = 0
    for name, app in (("API", api), ("WhatsApp Business service", create_business_app())):
        report = await fuzz(app, roles, max_examples=max_examples, seed=seed)
        print(f"{name}: {report.summary()}")
        for finding in report.findings:
            print(f"\n{finding.operation} as {finding.role} → {finding.status}\n{finding.problem}\n{finding.request}")
        findings += len(report.findings)
    await stop_standin()
    await db.dispose_engine()
    return 1 if findings else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    prepare_database()
    sys.exit(asyncio.run(main(arguments.max_examples, arguments.seed)))
