"""Development-only endpoints (404 when ENVIRONMENT=production): the local SMTP sink's mailbox.

They need a manager's token even on a developer's machine (the mailbox holds every creator's mail), and link
tokens in bodies are redacted: a signing link is for its creator, read with `influency mailbox show <id>`.
Production never serves them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from api.deps import ManagerDep
from api.schemas.dev import MailDetail, MailList, MailSummary
from core.errors import NotFound
from core.settings import get_settings
from tools.integrations.mailbox import Mailbox, entry_dict


async def development_only() -> None:
    if get_settings().ENVIRONMENT == "production":
        raise NotFound("Not Found")


router = APIRouter(prefix="/dev", tags=["development"], dependencies=[Depends(development_only)])


@router.get("/mailbox", response_model=MailList, summary="Mail the local SMTP sink received, newest first")
async def mailbox(_: ManagerDep, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  to: Annotated[str | None, Query(max_length=320, description="recipient contains")] = None) -> Any:
    entries = Mailbox.default().entries(limit=limit, to=to)
    return MailList(items=[MailSummary(**entry_dict(entry)) for entry in entries])


@router.get("/mailbox/{mail_id}", response_model=MailDetail, summary="One received mail: headers and bodies")
async def mail(mail_id: str, _: ManagerDep) -> Any:
    stored = Mailbox.default().get(mail_id)
    if stored is None:
        raise NotFound("No such mail in the local mailbox", code="not_found")
    return MailDetail(**entry_dict(stored.entry), headers=[list(pair) for pair in stored.headers], text=stored.text,
                      html=stored.html)
