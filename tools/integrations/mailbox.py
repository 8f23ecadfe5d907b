"""The local mailbox the SMTP sink writes: `<DATA_DIR>/mailbox/<id>.eml` plus `index.jsonl` (one line per mail).

Read by `GET /dev/mailbox` and `influency mailbox`. Ids sort by arrival (`<ms since epoch>-<random>`).
The .eml is written (temp file + rename) before its index line, so a listed mail is always readable.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from core.settings import Settings, get_settings

_ID = re.compile(r"^\d{13}-[0-9a-f]{8}$")
_lock = threading.Lock()


@dataclass(frozen=True)
class MailboxEntry:
    id: str
    received_at: str  # ISO 8601, UTC
    mail_from: str
    rcpt_tos: list[str]
    subject: str
    message_id: str | None
    size: int


@dataclass(frozen=True)
class StoredMail:
    entry: MailboxEntry
    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    raw: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


def parse_raw(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def body_parts(message: EmailMessage) -> tuple[str | None, str | None]:
    """The text/plain and text/html bodies of a message (either may be missing)."""
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    text = text_part.get_content() if isinstance(text_part, EmailMessage) else None
    rendered = html_part.get_content() if isinstance(html_part, EmailMessage) else None
    return text, rendered


class Mailbox:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def default(cls, settings: Settings | None = None) -> Mailbox:
        return cls((settings or get_settings()).data_dir / "mailbox")

    @property
    def index_path(self) -> Path:
        return self.directory / "index.jsonl"

    def store(self, raw: bytes, mail_from: str, rcpt_tos: list[str]) -> MailboxEntry:
        self.directory.mkdir(parents=True, exist_ok=True)
        message = parse_raw(raw)
        entry = MailboxEntry(
            id=f"{int(time.time() * 1000):013d}-{secrets.token_hex(4)}",
            received_at=datetime.now(UTC).isoformat(),
            mail_from=mail_from,
            rcpt_tos=list(rcpt_tos),
            subject=str(message.get("Subject", "")),
            message_id=str(message["Message-ID"]) if message["Message-ID"] else None,
            size=len(raw),
        )
        temporary = self.directory / f".{entry.id}.tmp"
        temporary.write_bytes(raw)
        temporary.replace(self.directory / f"{entry.id}.eml")
        with _lock, open(self.index_path, "a", encoding="utf-8") as index:
            index.write(json.dumps(asdict(entry)) + "\n")
            index.flush()
            os.fsync(index.fileno())
        return entry

    def entries(self, limit: int = 50, to: str | None = None) -> list[MailboxEntry]:
        """Newest first; `to` keeps mail whose envelope recipients contain it (case-insensitive)."""
        if not self.index_path.exists():
            return []
        found: list[MailboxEntry] = []
        for line in reversed(self.index_path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            entry = MailboxEntry(**json.loads(line))
            if to and not any(to.lower() in rcpt.lower() for rcpt in entry.rcpt_tos):
                continue
            found.append(entry)
            if len(found) >= limit:
                break
        return found

    def get(self, mail_id: str) -> StoredMail | None:
        path = self.directory / f"{mail_id}.eml"
        if not _ID.match(mail_id) or not path.exists():
            return None
        entry = next((e for e in self.entries(limit=10**9) if e.id == mail_id), None)
        if entry is None:
            return None
        raw = path.read_bytes()
        message = parse_raw(raw)
        text, rendered = body_parts(message)
        return StoredMail(entry=entry, headers=[(k, str(v)) for k, v in message.items()], text=text,
                          html=rendered, raw=raw)

    def clear(self) -> int:
        count = len(self.entries(limit=10**9))
        if self.directory.exists():
            shutil.rmtree(self.directory)
        return count


def entry_dict(entry: MailboxEntry) -> dict[str, Any]:
    return asdict(entry)
