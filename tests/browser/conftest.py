"""Browser tests: Debian's Chromium driven by Playwright against the app served by uvicorn on a free 127.0.0.1
port, on the test database. Jobs run through the test pump (`run_jobs()`), called where a worker would run them.

Playwright's own browser download is unreachable from these machines: `scripts/ensure-chromium.sh` installs the
system package (the Makefile's `test` target runs it) and the tests launch `/usr/bin/chromium`. Screenshots go to
`test-output/` (not committed).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_PRESENT = os.path.exists(CHROMIUM)
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "test-output"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    if not CHROMIUM_PRESENT:
        pytest.fail("Chromium is missing: run scripts/ensure-chromium.sh (make test does)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield launched
        await launched.close()


@pytest.fixture
async def server(app: Any, local_http_server: Any) -> str:
    """The whole app (API + console) on a free local port."""
    return str(await local_http_server(app))


@pytest.fixture
async def new_page(browser: Any, server: str) -> AsyncIterator[Any]:
    """`await new_page(viewport=LAPTOP)`: a page in its own browser context (its own cookies)."""
    contexts = []

    async def make(viewport: dict[str, int] | None = None) -> Any:
        context = await browser.new_context(viewport=viewport or LAPTOP, base_url=server, accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return await context.new_page()

    yield make
    for context in contexts:
        await context.close()


async def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    await page.goto("/app")
    await page.wait_for_url("**/app/login**")
    await page.get_by_label("Username or email").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state()
    await page.wait_for_function("window.htmx !== undefined")  # deferred scripts loaded: shortcuts and htmx wired


async def screenshot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
