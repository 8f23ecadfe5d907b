"""`influency mailbox`: the mail the local SMTP sink received (DATA_DIR/mailbox)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.main import app

mailbox_app = typer.Typer(help="Mail the local SMTP sink received (embedded defaults).", invoke_without_command=True)
app.add_typer(mailbox_app, name="mailbox")
console = Console()


@mailbox_app.callback()
def mailbox_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many, newest first")] = 20,
    to: Annotated[str | None, typer.Option(help="Only mail whose recipient contains this")] = None,
) -> None:
    """List received mail (newest first)."""
    if ctx.invoked_subcommand is not None:
        return
    from tools.integrations.mailbox import Mailbox

    mailbox = Mailbox.default()
    table = Table(title=f"mailbox: {mailbox.directory}")
    table.add_column("id", no_wrap=True, min_width=22)
    for column in ("received", "to", "subject"):
        table.add_column(column)
    for entry in mailbox.entries(limit=limit, to=to):
        table.add_row(entry.id, entry.received_at[:19], ", ".join(entry.rcpt_tos), entry.subject)
    console.print(table)


@mailbox_app.command("show")
def mailbox_show(mail_id: str, raw: Annotated[bool, typer.Option(help="Print the raw .eml")] = False) -> None:
    """Show one mail: headers and text body."""
    from tools.integrations.mailbox import Mailbox

    stored = Mailbox.default().get(mail_id)
    if stored is None:
        console.print(f"[red]no mail {mail_id!r}[/red]")
        raise typer.Exit(1)
    if raw:
        typer.echo(stored.raw.decode(errors="replace"))
        return
    for name, value in stored.headers:
        typer.echo(f"{name}: {' '.join(value.split())}")  # unfolded: links stay copyable
    typer.echo("")
    typer.echo(stored.text or stored.html or "")


@mailbox_app.command("clear")
def mailbox_clear() -> None:
    """Delete every stored mail."""
    from tools.integrations.mailbox import Mailbox

    console.print(f"deleted {Mailbox.default().clear()} mail(s)")
