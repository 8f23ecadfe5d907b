"""Links from one base URL, offline API docs, reply subjects that never stack, shortlist reasons shown once."""

from __future__ import annotations

import re

import httpx
import pytest

from agents.discovery.nodes import _unique_reasons
from agents.tasks.subjects import reply_subject, strip_reply_prefixes
from core.settings import Settings


async def test_docs_render_from_local_assets(client: httpx.AsyncClient) -> None:
    for page in ("/docs", "/redoc"):
        html = (await client.get(page)).text
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        assert assets, html
        for asset in assets:
            assert not asset.startswith("http"), f"{page} loads {asset} from the internet"
            assert (await client.get(asset)).status_code == 200, asset


def test_signing_links_follow_the_public_base_url() -> None:
    assert Settings(PORT=8100).signing_base_url == "http://127.0.0.1:8100"
    assert Settings(PUBLIC_BASE_URL="https://app.example.com/").signing_base_url == "https://app.example.com"
    assert Settings(PUBLIC_BASE_URL="https://app.example.com",
                    SIGNING_BASE_URL="https://sign.example.com").signing_base_url == "https://sign.example.com"


@pytest.mark.parametrize("original", ["Re: Re: Summer", "RE:Summer", "AW: Re: Summer", "Re[2]: Summer",
                                      "Summer", "  re : Fwd: Summer "])
def test_reply_subjects_never_stack(original: str) -> None:
    assert reply_subject(original) == "Re: Summer"


def test_reply_subject_falls_back() -> None:
    assert reply_subject(None, "Acme collaboration") == "Re: Acme collaboration"
    assert reply_subject("Re: ", "Acme collaboration") == "Re: Acme collaboration"
    assert strip_reply_prefixes("Reel pricing") == "Reel pricing"  # a word that starts with "re" is kept


def test_shortlist_reasons_are_unique() -> None:
    assert _unique_reasons(["based in ES", "semantic similarity 0.61", "based in ES (Madrid)", "based in ES"]) == [
        "based in ES (Madrid)", "semantic similarity 0.61"]
