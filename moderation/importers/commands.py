"""`flask moderation import` and `flask moderation export`."""

from __future__ import annotations

import gzip
import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from moderation.errors import ApiError
from moderation.importers import ImportFileError, export_site, run_import
from moderation.importers.backlog import lower_priority, score_backlog
from moderation.importers.native import SOURCE as NATIVE
from moderation.scoring.base import ScorerUnavailable
from moderation.sites.lookup import get_site


@click.command("import")
@with_appcontext
@click.argument("format_name", metavar="FORMAT",
                type=click.Choice(["disqus", "wordpress", "isso", "remark42", "moderation"]))
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--site", "site_key", required=True, help="The site the comments belong to.")
@click.option("--dry-run", is_flag=True,
              help="Read and check the file, report what an import would do; write nothing.")
@click.option("--score", is_flag=True,
              help="Then score the imported published comments as a backlog; those the "
                   "model doubts go to review (imported_rescored).")
@click.option("--batch-size", type=int, default=None,
              help="Comments per committed batch (default IMPORT_BATCH_SIZE).")
def import_comments(format_name: str, path: str, site_key: str, dry_run: bool, score: bool,
                    batch_size: int | None) -> None:
    """Import a site's comments from FORMAT's export FILE (idempotent: run it again safely)."""
    bar = tqdm(unit="comment", disable=not sys.stderr.isatty(), desc="importing")

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        report = run_import(format_name, path, site_key, dry_run=dry_run,
                            batch_size=batch_size, progress=progress)
    except ImportFileError as exc:
        raise click.ClickException(f"{exc.message}; nothing was imported") from exc
    finally:
        bar.close()
    if dry_run:
        click.echo("\n".join(report.dry_run_lines()))
        click.echo("dry run: nothing was written")
        return
    click.echo("\n".join(report.summary_lines()))
    if score:
        current_app.config["MODEL_USE"] = "batches"  # the runtime is chosen for its batches
        _score_backlog(get_site(site_key), format_name)


def _score_backlog(site, format_name: str) -> None:
    lower_priority()
    bar = tqdm(unit="comment", disable=not sys.stderr.isatty(), desc="scoring")
    try:
        result = score_backlog(site, NATIVE if format_name == "moderation" else format_name,
                               progress=lambda r: bar.update(r.scored - bar.n))
    except ScorerUnavailable as exc:
        raise click.ClickException(
            f"the model is unavailable ({exc}); the comments stay as imported: run the "
            "same import with --score again later, it scores only what is left") from exc
    finally:
        bar.close()
    click.echo(f"scored {result.scored} imported comments in {result.seconds:.1f}s "
               f"({result.rate:.0f}/s); {result.moved_to_review} moved to review "
               f"(imported_rescored); {result.left_unread} left published, in languages "
               "no model reads")


@click.command("export")
@with_appcontext
@click.option("--site", "site_key", required=True, help="The site to export.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False), default=None,
              help="Write here (gzipped when it ends in .gz); stdout when omitted.")
def export_comments(site_key: str, output_path: str | None) -> None:
    """Write the site's articles, comments, decisions and reactions as versioned JSON Lines."""
    try:
        site = get_site(site_key)
    except ApiError as exc:
        raise click.ClickException(exc.message) from exc
    if output_path is None:
        counts = export_site(site, sys.stdout)
    else:
        partial = output_path + ".partial"
        opener = gzip.open if output_path.endswith(".gz") else open
        with opener(partial, "wt", encoding="utf-8", newline="\n") as handle:
            counts = export_site(site, handle)
        os.replace(partial, output_path)
    click.echo(f"exported {counts['articles']} articles and {counts['comments']} comments "
               f"of site {site_key}", err=True)
