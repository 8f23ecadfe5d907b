"""/unsubscribe/{token}: the target of every email's List-Unsubscribe header.

GET shows a confirmation page and changes nothing (mail scanners prefetch links); POST unsubscribes — both the
page's button and mail clients' RFC 8058 one-click (`List-Unsubscribe=One-Click` form body) land there. The
result is a global do-not-contact entry (source `unsubscribe`); repeating it is harmless.
"""

from __future__ import annotations

import html

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from core.errors import NotFound
from store.contacts.service import DoNotContactService
from store.contacts.tokens import read_unsubscribe_token

router = APIRouter(prefix="/unsubscribe", tags=["unsubscribe"])

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:4rem auto;line-height:1.5">
<h1 style="font-size:1.4rem">{title}</h1>{body}</body></html>"""


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=body), status_code=status_code)


@router.get("/{token}", response_class=HTMLResponse)
async def confirm(token: str) -> HTMLResponse:
    try:
        claim = read_unsubscribe_token(token)
    except NotFound:
        return _page("Link not valid", "<p>This unsubscribe link is not valid.</p>", 404)
    return _page("Unsubscribe", f"<p>Stop all outreach emails to <b>{html.escape(claim.address)}</b>?</p>"
                 f'<form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click" '
                 f'style="font-size:1rem;padding:.5rem 1rem">Unsubscribe</button></form>')


@router.post("/{token}", response_class=HTMLResponse)
async def unsubscribe(token: str, session: SessionDep) -> HTMLResponse:
    outcome = await DoNotContactService(session).unsubscribe(token)
    return _page("Unsubscribed", f"<p><b>{html.escape(outcome.entry.address)}</b> will not receive outreach "
                 "emails from us again.</p>")
