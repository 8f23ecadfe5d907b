"""Registers the command groups that live beside their domains (creators, eval, mailbox, ...)."""

import cli.analytics  # noqa: F401  (`influency analytics`)
import cli.contracts  # noqa: F401  (`influency contracts`)
import cli.healthcheck  # noqa: F401  (`influency healthcheck`)
from cli import approvals, mailbox, messages  # noqa: F401  (`influency approvals`, `influency mailbox`, `... messages`)
from cli.creators import app as creators_app
from cli.evals import eval_app
from cli.main import app

app.add_typer(eval_app, name="eval")
app.add_typer(creators_app, name="creators")
