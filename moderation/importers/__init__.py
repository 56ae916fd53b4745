"""Bringing a site's comments in from other systems, and taking them out again.

`flask --app wsgi moderation import FORMAT FILE --site KEY` reads the whole file once to
check it (the dry run also counts what it holds, and stops there), then again to write it
in batches; a file that cannot be read to its end is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import select

from moderation.extensions import db
from moderation.importers.analysis import Analyzer
from moderation.importers.disqus import DisqusReader
from moderation.importers.errors import ImportFileError
from moderation.importers.isso import IssoReader
from moderation.importers.native import NativeReader, export_site
from moderation.importers.remark42 import Remark42Reader
from moderation.importers.report import Report
from moderation.importers.streams import Limits
from moderation.importers.text import parse_time
from moderation.importers.wordpress import WordPressReader
from moderation.importers.writer import Writer
from moderation.models import Site

READERS = {
    "disqus": DisqusReader,
    "wordpress": WordPressReader,
    "isso": IssoReader,
    "remark42": Remark42Reader,
    "moderation": NativeReader,
}


def limits() -> Limits:
    config = current_app.config
    return Limits(config["IMPORT_MAX_EXPANDED_BYTES"], config["IMPORT_MAX_EXPANSION_RATIO"])


def analyze(format_name: str, path: str):
    """Read the whole file and return (reader, report); raise ImportFileError if unreadable."""
    reader = READERS[format_name](path, limits())
    report = Report(format_name, path)
    analyzer = Analyzer(report)
    for item in reader.read(report):
        analyzer.add(item)
    return reader, analyzer.finish()


def check(format_name: str, path: str):
    """Read the whole file as cheaply as its reader can; return (reader, report).

    A real import needs only to know the file reads to its end before it writes; a reader
    with scan() does that without building entries (the write pass builds and checks them),
    the others run the dry run's analysis.
    """
    reader = READERS[format_name](path, limits())
    scan = getattr(reader, "scan", None)
    if scan is None:
        return analyze(format_name, path)
    report = Report(format_name, path)
    scan(report)
    return reader, report


def _site_for(reader, site_key: str, *, create: bool) -> Site | None:
    site = db.session.scalar(select(Site).where(Site.key == site_key))
    if site is not None or not create:
        return site
    header = getattr(reader, "header", None)
    if not header:
        return None
    settings = header.get("site") or {}
    site = Site(key=site_key, name=str(settings.get("name") or site_key)[:200],
                allowed_origins=list(settings.get("allowed_origins") or []),
                thresholds=dict(settings.get("thresholds") or {}),
                premoderate=bool(settings.get("premoderate")),
                language_check=bool(settings.get("language_check", True)),
                auto_languages=settings.get("auto_languages"),
                flag_threshold=int(settings.get("flag_threshold") or 3))
    created = parse_time(settings.get("created_at"))
    if created is not None:
        site.created_at = created
    db.session.add(site)
    db.session.commit()
    return site


def run_import(format_name: str, path: str, site_key: str, *, dry_run: bool = False,
               batch_size: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> Report:
    """Check the file, then (unless dry_run) write it to the site; return the report.

    progress(done, total) is called after each committed batch.
    """
    if format_name not in READERS:
        raise ImportFileError(f"unknown format {format_name!r}; use one of {sorted(READERS)}")
    reader, report = (analyze if dry_run else check)(format_name, path)
    own = format_name == "moderation"
    site = _site_for(reader, site_key, create=own and not dry_run)
    if site is None and not (dry_run and own):
        raise ImportFileError(
            f"no site '{site_key}': create it first with `flask --app wsgi moderation "
            f"create-site {site_key}`"
        )
    if dry_run:
        db.session.rollback()
        return report
    total = report.comments
    done = [0]

    def batch_done(count: int) -> None:
        done[0] += count
        if progress is not None:
            progress(done[0], total)

    writer = Writer(site, reader.source, report,
                    batch_size or current_app.config["IMPORT_BATCH_SIZE"], on_batch=batch_done)
    for item in reader.read(Report(format_name, path)):
        writer.add(item)
    writer.finish()
    return report


__all__ = ["READERS", "ImportFileError", "Report", "analyze", "export_site", "run_import"]
