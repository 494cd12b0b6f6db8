"""Command-line tasks: ``flask create-admin``, ``flask seed-demo``, ``flask export``, ``flask import``."""
import getpass

import click
from flask import current_app

from .errors import DomainError


def init_app(app):
    app.cli.add_command(create_admin_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(i18n_missing_command)
    from .search.indexer import reindex_command

    app.cli.add_command(reindex_command)
    app.cli.add_command(export_command)
    app.cli.add_command(import_command)


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", help="Display name for a new account.")
@click.option("--password", envvar="COCREATE_ADMIN_PASSWORD", help="Password for a new account (else asked).")
def create_admin_command(email, name, password):
    """Make EMAIL an admin, creating the account if it does not exist."""
    from .accounts.models import user_by_email
    from .accounts.services import create_admin

    if user_by_email(email) is None and not password:
        password = getpass.getpass("Password for the new admin: ")
    try:
        user = create_admin(email, name, password or "")
    except DomainError as error:
        raise click.ClickException(str(error.message))
    click.echo(f"{user.email} is an admin.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no accounts yet.")
def seed_demo_command(if_empty):
    """Load the demo data (development only; running it twice changes nothing)."""
    from . import demo

    if not current_app.config["DEMO_DATA_ALLOWED"]:
        raise click.ClickException("Demo data loads only in development.")
    if if_empty and not demo.database_is_empty():
        click.echo("The database has data already; demo data not loaded.")
    else:
        click.echo(demo.seed_demo())
    click.echo(demo.describe_logins())


@click.command("i18n-missing")
@click.option("--lang", default="da")
def i18n_missing_command(lang):
    """Print the strings that have no translation, as .po entries to fill in."""
    from .i18n import missing_translations

    missing = missing_translations(lang)
    for msgid, where in sorted(missing.items()):
        click.echo(f"#: {where[0]}")
        click.echo(f"msgid {_po_quote(msgid)}")
        click.echo('msgstr ""\n')
    if missing:
        raise SystemExit(1)


def _po_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@click.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(path):
    """Write the whole database to PATH (JSON lines), for a backup or a move."""
    from .ops.transfer import export_database

    with open(path, "w", encoding="utf-8") as stream:
        counts = export_database(stream)
    click.echo(f"Exported {sum(counts.values())} rows from {len(counts)} tables to {path}.")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path):
    """Load an export made by ``flask export`` into an empty database."""
    from .ops.transfer import TransferError, import_database

    with open(path, encoding="utf-8") as stream:
        try:
            counts = import_database(stream)
        except TransferError as error:
            raise click.ClickException(str(error))
    click.echo(f"Imported {sum(counts.values())} rows into {len(counts)} tables.")
