"""`flask moderation calibrate|export-decisions|rollback-thresholds|shadow-*|train-site-model`."""

from __future__ import annotations

import json
import sys

import click
from sqlalchemy import select

from moderation.errors import ApiError
from moderation.extensions import db
from moderation.learning import adaptation, changes, shadow
from moderation.learning.calibration import Targets
from moderation.learning.decisions import load_decisions, write_csv
from moderation.models import Moderator
from moderation.sites.lookup import get_site


def _moderator(email: str | None) -> Moderator | None:
    """Return the account an operator acts as (recorded on the change), if named."""
    if not email:
        return None
    found = db.session.scalar(select(Moderator).where(Moderator.email == email.lower()))
    if found is None:
        raise click.BadParameter(f"no account {email}", param_hint="--as")
    return found


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def echo_calibration(result) -> None:
    """Print a calibration: counts, current against proposed, the thresholds that change."""
    click.echo(f"decisions: {result.decisions} ({result.rejections} rejected) "
               f"by {result.deciders} people")
    if result.refusal:
        click.echo(f"no proposal: {result.refusal}")
        return
    click.echo("on the newer decisions the fit did not see:")
    for name in ("current", "proposed"):
        o = result.newer[name]
        click.echo(f"  {name:<9} missed rejections {_percent(o.missed):>6}  review "
                   f"{_percent(o.review):>6}  wrongly rejected {_percent(o.wrongly_rejected)}")
    verdict = "meets" if result.meets_targets else "does not meet"
    targets = result.targets
    click.echo(f"the proposal {verdict} the targets (missed <= {_percent(targets.max_missed)}, "
               f"review <= {_percent(targets.max_review)})")
    for side in ("approve", "reject"):
        for label, value in result.proposed[side].items():
            before = result.current[side][label]
            if abs(before - value) > 1e-9:
                click.echo(f"  {side} {label}: {before:.4f} -> {value:.4f}")
    for note in result.notes:
        click.echo(f"  note: {note}")


def add_commands(cli: click.Group) -> None:
    """Add the learning commands to the `moderation` group."""

    @cli.command("calibrate")
    @click.argument("site")
    @click.option("--max-missed", default=0.02, show_default=True, type=click.FloatRange(0, 1),
                  help="Most moderator-rejected comments that may be auto-published (share).")
    @click.option("--max-review", default=0.15, show_default=True, type=click.FloatRange(0, 1),
                  help="Most comments that may go to review (share).")
    @click.option("--apply", "apply_it", is_flag=True, help="Write the proposal (audited).")
    @click.option("--as", "email", default=None, help="The admin recorded on the change.")
    def calibrate(site: str, max_missed: float, max_review: float, apply_it: bool,
                  email: str | None) -> None:
        """Fit SITE's thresholds to its moderators' decisions; change nothing without --apply."""
        targets = Targets(max_missed, max_review)
        try:
            echo_calibration(changes.site_calibration(site, targets, curve=False))
            if apply_it:
                change = changes.apply_calibration(site, targets, _moderator(email), note="cli")
                click.echo(f"applied as change {change.id}; "
                           f"`flask moderation rollback-thresholds {site}` undoes it")
        except ApiError as exc:
            raise click.ClickException(exc.message) from exc

    @cli.command("export-decisions")
    @click.argument("site")
    @click.option("--output", type=click.Path(dir_okay=False), default=None,
                  help="CSV file (stdout when omitted).")
    def export_decisions(site: str, output: str | None) -> None:
        """Write SITE's labelled decisions as CSV (scores and verdicts, no comment text)."""
        try:
            rows = load_decisions(get_site(site))
        except ApiError as exc:
            raise click.ClickException(exc.message) from exc
        if output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                write_csv(rows, handle)
        else:
            write_csv(rows, sys.stdout)

    @cli.command("rollback-thresholds")
    @click.argument("site")
    @click.option("--as", "email", default=None, help="The admin recorded on the change.")
    def rollback_thresholds(site: str, email: str | None) -> None:
        """Restore SITE's thresholds from before its latest calibration or promotion."""
        try:
            change = changes.rollback(site, _moderator(email))
        except ApiError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"rolled back; thresholds now {json.dumps(change.after, sort_keys=True)}")

    @cli.command("shadow-start")
    @click.argument("site")
    @click.option("--max-missed", default=0.02, show_default=True, type=click.FloatRange(0, 1))
    @click.option("--max-review", default=0.15, show_default=True, type=click.FloatRange(0, 1))
    @click.option("--site-model", "version", default=None, type=click.IntRange(1),
                  help="Try this site model version instead of a calibration proposal.")
    @click.option("--as", "email", default=None, help="The admin recorded on the run.")
    def shadow_start(site: str, max_missed: float, max_review: float, version: int | None,
                     email: str | None) -> None:
        """Run SITE's calibration proposal, or a site model version, in shadow."""
        try:
            if version is not None:
                run = shadow.start_model(site, version, _moderator(email))
            else:
                result = changes.site_calibration(site, Targets(max_missed, max_review),
                                                  curve=False)
                if result.refusal:
                    raise click.ClickException(result.refusal)
                run = shadow.start(site, result.proposed, _moderator(email), note="calibration")
        except ApiError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"shadow policy {run.id} runs on {site}")

    @cli.command("shadow-report")
    @click.argument("site")
    def shadow_report(site: str) -> None:
        """Print the running shadow policy's comparison with the live one, as JSON."""
        found = get_site(site)
        run = shadow.running(found.id)
        if run is None:
            raise click.ClickException(f"no shadow policy runs on {site}")
        click.echo(json.dumps(shadow.report(found, run), indent=2, sort_keys=True))

    @cli.command("shadow-end")
    @click.argument("site")
    @click.argument("action", type=click.Choice(["promote", "discard"]))
    @click.option("--as", "email", default=None, help="The admin recorded on the change.")
    def shadow_end(site: str, action: str, email: str | None) -> None:
        """Promote the running shadow policy to live thresholds, or discard it."""
        run = shadow.running(get_site(site).id)
        if run is None:
            raise click.ClickException(f"no shadow policy runs on {site}")
        ended = getattr(shadow, action)(site, run.id, _moderator(email))
        click.echo(f"shadow policy {ended.id} {ended.status}")

    @cli.command("train-site-model")
    @click.argument("site")
    @click.option("--shadow", "in_shadow", is_flag=True,
                  help="Store it unused and run it in shadow beside the live policy.")
    @click.option("--as", "email", default=None, help="The admin recorded on the model.")
    def train_site_model(site: str, in_shadow: bool, email: str | None) -> None:
        """Fit SITE's own model on its decisions; it is used only if it beats the bundled scores."""
        moderator = _moderator(email)
        try:
            model = adaptation.train(site, moderator, activate=not in_shadow)
            run = shadow.start_model(site, model.version, moderator) if in_shadow else None
        except ApiError as exc:
            raise click.ClickException(exc.message) from exc
        m = model.metrics
        click.echo(f"site model v{model.version}: ROC-AUC {m['auc_site_model']} on the newest "
                   f"{m['held_out']} decisions; best bundled label {m['auc_bundled_best']}")
        if run is not None:
            click.echo(f"shadow policy {run.id} tries it on new comments; nothing changes live")
        else:
            click.echo("in use" if model.active
                       else "not used: it does not beat the bundled scores")
