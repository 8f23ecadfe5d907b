"""Registers the command groups that live beside their domains (creators, eval, ...)."""

from cli import (
    approvals,  # noqa: F401,E402  (influency approvals ...)
    mailbox,  # noqa: F401,E402  (`influency mailbox`)
)
from cli.main import app  # noqa: F401
