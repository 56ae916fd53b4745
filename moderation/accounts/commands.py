"""`flask moderation ...` commands for reader accounts, privacy requests and deliveries."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from moderation.accounts import privacy
from moderation.accounts.secrets import rotate_secret
from moderation.errors import ApiError
from moderation.models import ActorType
from moderation.sites.lookup import get_site


def _site_or_none(key: str | None):
    try:
        return get_site(key) if key else None
    except ApiError as exc:
        raise click.ClickException(exc.message) from exc


def register(cli: AppGroup) -> None:
    """Add the reader commands to the CLI group."""

    @cli.command("rotate-sso-secret")
    @click.argument("site")
    def rotate_sso_secret(site: str) -> None:
        """Create a new SSO signing secret for SITE and print it (shown only once)."""
        click.echo(rotate_secret(_site_or_none(site)))
        click.echo("the previous secret keeps verifying for "
                   f"{current_app.config['SSO_SECRET_OVERLAP_SECONDS']} s", err=True)

    @cli.command("export-reader")
    @click.argument("email")
    @click.option("--site", default=None, help="Only this site (default: every site).")
    def export_reader(email: str, site: str | None) -> None:
        """Print as JSON everything kept about the reader with EMAIL."""
        site_obj = _site_or_none(site)
        accounts, email_h = privacy.find_person(email=email, site=site_obj)
        click.echo(json.dumps(privacy.export_person(accounts, email_h, site_obj), indent=2))

    @cli.command("erase-reader")
    @click.argument("email")
    @click.option("--site", default=None, help="Only this site (default: every site).")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def erase_reader(email: str, site: str | None, yes: bool) -> None:
        """Erase the reader with EMAIL: account, address, subscriptions; comments per site."""
        if not yes:
            click.confirm(f"Erase everything kept about {email}?", abort=True)
        site_obj = _site_or_none(site)
        accounts, email_h = privacy.find_person(email=email, site=site_obj)
        counts = privacy.erase_person(accounts, email_h, site_obj, actor=ActorType.moderator)
        click.echo(f"erased {counts['comments']} comments, {counts['subscriptions']} "
                   f"subscriptions, {counts['accounts']} accounts")

    @cli.command("deliver")
    @click.option("--max-seconds", type=float, default=None, help="Stop after this long.")
    @click.option("--once", is_flag=True, help="Do one pass and stop.")
    def deliver(max_seconds: float | None, once: bool) -> None:
        """Send webhooks and notification emails from the outbox until SIGTERM."""
        from moderation.queue.deliveries import DeliveryWorker, deliver_once

        if once:
            webhooks, emails = deliver_once()
            click.echo(f"delivered {webhooks} webhooks, sent {emails} emails")
            return
        runner = DeliveryWorker(current_app._get_current_object())
        previous = runner.install_signals()
        try:
            runner.run(max_seconds=max_seconds)
        finally:
            runner.restore_signals(previous)
