"""`flask moderation coral-secret SITE`: connect a site to Coral's external moderation phase."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from moderation.coral import secrets
from moderation.errors import ApiError


@click.command("coral-secret")
@with_appcontext
@click.argument("site")
@click.option("--secret-env", default="MODERATION_CORAL_SECRET", show_default=True,
              help="Read the secret from this environment variable if set; else prompt.")
@click.option("--keep-previous", is_flag=True,
              help="Accept the previous secret too, while Coral's rotation overlaps.")
@click.option("--clear", is_flag=True, help="Forget the secrets: the site takes no Coral calls.")
@click.option("--log-verdicts/--no-log-verdicts", default=None,
              help="Keep a row per answer (ids and status, never text), or keep nothing.")
def coral_secret(site: str, secret_env: str, keep_previous: bool, clear: bool,
                 log_verdicts: bool | None) -> None:
    """Set the signing secret Coral shows for the site's external moderation phase."""
    try:
        _apply(site, secret_env, keep_previous, clear, log_verdicts)
    except ApiError as exc:
        raise click.ClickException(exc.message) from exc


def _apply(site: str, secret_env: str, keep_previous: bool, clear: bool,
           log_verdicts: bool | None) -> None:
    if clear:
        secrets.clear_coral_secrets(site)
        click.echo(f"site {site} takes no Coral requests")
    elif log_verdicts is None or os.environ.get(secret_env):
        value = os.environ.get(secret_env) or click.prompt("Signing secret", hide_input=True)
        updated = secrets.set_coral_secret(site, value, keep_previous=keep_previous)
        click.echo(f"site {site} accepts {len(updated.coral_secrets)} Coral signing secret(s)")
    if log_verdicts is not None:
        secrets.set_verdict_log(site, log_verdicts)
        click.echo(f"site {site}: verdict log {'on' if log_verdicts else 'off'}")
