"""`flask --app wsgi moderation ...`: operator commands."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from prometheus_client import start_http_server
from sqlalchemy import select

from moderation.accounts.commands import register as register_reader_commands
from moderation.coral import cli as coral_cli
from moderation.errors import ApiError
from moderation.extensions import db, scorer
from moderation.importers.commands import export_comments, import_comments
from moderation.models import Moderator, Role
from moderation.perspective import api_keys
from moderation.policy.bulk import scored_batches
from moderation.queue.worker import Worker
from moderation.scoring.base import LABELS, ScorerUnavailable
from moderation.scoring.ngrams import scored_languages
from moderation.sites import create

cli = AppGroup("moderation", help="Operate the comment moderation service.")


@cli.command("create-site")
@click.argument("key")
@click.option("--name", default=None, help="Display name (defaults to the key).")
@click.option("--origin", "origins", multiple=True, help="Allowed origin, e.g. https://news.example")
@click.option("--premoderate/--no-premoderate", default=False,
              help="Hold every comment for review.")
@click.option("--auto-languages", default=None,
              help="Comma-separated languages a per-language model decides automatically "
                   "(default: all the service scores; '' for none, so they go to review).")
def create_site(key: str, name: str | None, origins: tuple[str, ...], premoderate: bool,
                auto_languages: str | None) -> None:
    """Create a site that may embed the widgets."""
    languages = None
    if auto_languages is not None:
        languages = [code.strip() for code in auto_languages.split(",") if code.strip()]
        unknown = sorted(set(languages) - scored_languages())
        if unknown:
            raise click.BadParameter(f"no shipped model scores {', '.join(unknown)}; "
                                     f"choose from {', '.join(sorted(scored_languages()))}",
                                     param_hint="--auto-languages")
    site = create.create_site(key, name=name, origins=list(origins), premoderate=premoderate,
                              auto_languages=languages)
    click.echo(f"created site {site.key} (id {site.id})")


@cli.command("create-moderator")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="moderator")
@click.option("--password-env", default="MODERATION_NEW_PASSWORD", show_default=True,
              help="Read the password from this environment variable if set; else prompt.")
def create_moderator(email: str, role: str, password_env: str) -> None:
    """Create a dashboard account (prompts for the password)."""
    password = os.environ.get(password_env) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < 10:
        raise click.UsageError("the password needs at least 10 characters")
    if db.session.scalar(select(Moderator).where(Moderator.email == email.lower())):
        raise click.UsageError(f"{email} already has an account")
    moderator = Moderator(email=email.lower(), role=Role(role))
    moderator.set_password(password)
    db.session.add(moderator)
    db.session.commit()
    click.echo(f"created {role} {moderator.email}")


@cli.command("seed-demo")
def seed_demo() -> None:
    """Create the demo site, an article and a few comments through the real pipeline."""
    site, created = create.seed_demo()
    click.echo(f"demo site '{site.key}' ready; {created} comments added")


def _read_rows(handle) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(handle)
    if not reader.fieldnames or "text" not in reader.fieldnames:
        raise click.UsageError("the CSV needs a 'text' column")
    return list(reader.fieldnames), list(reader)


@cli.command("score")
@click.option("--input", "input_path", type=click.Path(dir_okay=False), default=None,
              help="CSV with a 'text' column (stdin when omitted).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the scored CSV (stdout when omitted).")
@click.option("--batch-size", default=256, show_default=True,
              help="Rows read, scored and written at a time; the model sorts each such "
                   "chunk by length and runs it in batches of its own.")
def score(input_path: str | None, output_path: str | None, batch_size: int) -> None:
    """Score a CSV's 'text' column: a column per label, the language, decision, reason."""
    csv.field_size_limit(sys.maxsize)
    current_app.config["MODEL_USE"] = "batches"  # the runtime is chosen for its batches
    try:
        if input_path:
            with open(input_path, newline="", encoding="utf-8") as handle:
                fieldnames, rows = _read_rows(handle)
        else:
            fieldnames, rows = _read_rows(sys.stdin)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise click.ClickException(f"the CSV could not be read as UTF-8 CSV: {exc}") from exc
    out_fields = fieldnames + [label for label in LABELS if label not in fieldnames]
    out_fields += [f for f in ("language", "decision", "reason") if f not in out_fields]
    # Rows go out a batch at a time (a long file shows results at once); the bar goes to a
    # terminal's stderr only, never into a redirected file.
    batches = scored_batches(rows, batch_size=batch_size, progress=sys.stderr.isatty())
    try:
        if output_path:
            with open(output_path, "w", newline="", encoding="utf-8") as handle:
                _write_rows(handle, out_fields, batches)
        else:
            _write_rows(sys.stdout, out_fields, batches)
    except ScorerUnavailable as exc:
        raise click.ClickException(f"the model is unavailable: {exc}") from exc


def _write_rows(handle, fieldnames: list[str], batches) -> None:
    writer = csv.DictWriter(handle, fieldnames=fieldnames, extrasaction="ignore")
    writer.writeheader()
    for batch in batches:
        writer.writerows(batch)
        handle.flush()


@cli.command("train-model")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, exists=True),
              default="../shared/data/toxicity", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True)
@click.option("--seed", default=13, show_default=True)
@click.option("--max-minutes", default=29.0, show_default=True)
@click.option("--limit", default=None, type=int, help="Use at most this many rows (for trials).")
@click.option("--max-steps", default=None, type=int, help="Stop after this many steps.")
def train_model(data_dir: str, out_dir: str, seed: int, max_minutes: float, limit: int | None,
                max_steps: int | None) -> None:
    """Train the bundled model's top layers on labelled comments."""
    # Late: training needs torch and scikit-learn, which no other command should load.
    from moderation.training.loop import train_model as train

    metrics = train(Path(data_dir), Path(out_dir), seed=seed, max_minutes=max_minutes,
                    limit=limit, max_steps=max_steps, progress=True)
    click.echo(f"wrote weights and metrics to {out_dir}")
    for key, value in metrics.get("summary", {}).items():
        click.echo(f"  {key}: {value}")


@cli.command("average-runs")
@click.argument("runs", nargs=-1, required=True,
                type=click.Path(file_okay=False, exists=True))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True)
@click.option("--model-id", default=None, help="Model id to store in the metadata.")
def average_runs(runs: tuple[str, ...], out_dir: str, model_id: str | None) -> None:
    """Average the weights of several train-model runs into one model."""
    from moderation.training.averaging import AveragingError
    from moderation.training.averaging import average_runs as average

    try:
        count = average([Path(r) for r in runs], Path(out_dir), model_id=model_id)
    except AveragingError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"averaged {count} tensors of {len(runs)} runs into {out_dir}; "
               "recalibrate with bench/evaluate_bundled.py --write before shipping")


@cli.command("train-languages")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, exists=True),
              default="../shared/data/toxicity", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Folder for the models (moderation/scoring/weights/languages ships them).")
@click.option("--limit", default=None, type=int, help="Use at most this many rows a language.")
def train_languages(data_dir: str, out_dir: str, limit: int | None) -> None:
    """Train and measure a model per labelled language; write those that earn scoring."""
    # Late: training needs scikit-learn, which no other command should load.
    from moderation.training.language_models import train_language_models

    report = train_language_models(Path(data_dir), Path(out_dir), limit=limit)
    for language, row in sorted(report.items()):
        verdict = "scored" if row["scored"] else "review"
        click.echo(f"  {language}: ROC-AUC {row['auc']}, toxic published "
                   f"{row['toxic_published']}, clean held {row['clean_held']} -> {verdict}")


@cli.command("check-model")
def check_model() -> None:
    """Load the configured model and score two sentences, to prove it works offline."""
    try:
        results = scorer.score(["Thanks for the thoughtful article.", "You are a worthless idiot."],
                               timeout=600)
    except ScorerUnavailable as exc:
        raise click.ClickException(str(exc)) from exc
    model = scorer.get()
    precision = getattr(model, "precision", "fp32")
    runtime = getattr(model, "runtime", "torch")
    click.echo(f"model {model.model_id} ({precision}, {runtime}) loaded from "
               f"{current_app.instance_path}")
    for text, result in zip(("benign", "abusive"), results, strict=True):
        click.echo(f"  {text}: " + ", ".join(f"{k}={v:.3f}" for k, v in result.items()))
    languages = sorted(scored_languages())
    click.echo(f"per-language models: {', '.join(languages) or 'none'}")


@cli.command("worker")
@click.option("--max-seconds", type=float, default=None, help="Stop after this long (drills).")
@click.option("--max-batches", type=int, default=None, help="Stop after this many batches.")
@click.option("--metrics-port", type=int, default=None,
              help="Serve this worker's Prometheus metrics on this port.")
@click.option("--metrics-addr", default="127.0.0.1", show_default=True,
              help="Address the metrics port listens on.")
def worker(max_seconds: float | None, max_batches: int | None, metrics_port: int | None,
           metrics_addr: str) -> None:
    """Score queued comments in micro-batches until SIGTERM."""
    current_app.config["MODEL_USE"] = "batches"  # the runtime is chosen for its batches
    if metrics_port:
        start_http_server(metrics_port, addr=metrics_addr)
    runner = Worker(current_app._get_current_object())
    previous = runner.install_signals()
    try:
        runner.run(max_seconds=max_seconds, max_batches=max_batches)
    finally:
        runner.restore_signals(previous)


@cli.command("create-api-key")
@click.argument("site")
@click.option("--quota", default="1/second", show_default=True,
              help="Requests allowed for this key, e.g. 10/second or 10/second;20000/day.")
@click.option("--name", default=None, help="What the key is for, e.g. 'Coral production'.")
def create_api_key(site: str, quota: str, name: str | None) -> None:
    """Create a key for the Perspective-compatible API and print it (shown only once)."""
    try:
        api_key, raw = api_keys.create_api_key(site, quota=quota, name=name)
    except ApiError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(raw)
    click.echo(f"key {api_key.prefix}... for site {site}, quota {api_key.quota}; "
               "store it now: only its hash is kept", err=True)


@cli.command("list-api-keys")
@click.argument("site")
def list_api_keys(site: str) -> None:
    """List a site's API keys by prefix, with quota and state (keys themselves are not kept)."""
    try:
        keys = api_keys.list_api_keys(site)
    except ApiError as exc:
        raise click.ClickException(exc.message) from exc
    for api_key in keys:
        state = f"revoked {api_key.revoked_at:%Y-%m-%d}" if api_key.revoked_at else "live"
        click.echo(f"{api_key.prefix}  {api_key.quota:<12} {state:<18} {api_key.name or ''}")


@cli.command("revoke-api-key")
@click.argument("prefix")
def revoke_api_key(prefix: str) -> None:
    """Revoke the API key that starts with PREFIX (as printed at creation)."""
    try:
        api_key = api_keys.revoke_api_key(prefix)
    except ApiError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"revoked key {api_key.prefix}...")


register_reader_commands(cli)
cli.add_command(coral_cli.coral_secret)
# Moving sites in and out lives with the importers.
cli.add_command(import_comments)
cli.add_command(export_comments)

__all__ = ["cli"]


def _add_learning_commands() -> None:
    from moderation.learning.cli import add_commands

    add_commands(cli)


_add_learning_commands()
