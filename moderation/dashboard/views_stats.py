"""Moderation statistics as an SVG chart, a table and CSV."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template
from sqlalchemy import select

from moderation.dashboard import bp
from moderation.dashboard.charts import queue_lines, stacked_bars
from moderation.dashboard.forms import StatsQuery, use_args
from moderation.dashboard.nudge_stats import NUDGE_COLUMNS, nudge_stats
from moderation.dashboard.queue_history import queue_samples
from moderation.dashboard.stats import (
    COLUMNS,
    MODERATOR_COLUMNS,
    chart_series,
    daily_stats,
    decisions_per_moderator,
)
from moderation.extensions import db
from moderation.models import Site


@bp.get("/stats")
@use_args(StatsQuery())
def stats(args: dict):
    """Show the daily statistics."""
    rows = daily_stats(days=args["days"], site_key=args["site"])
    per_moderator = decisions_per_moderator(days=args["days"], site_key=args["site"])
    sites = db.session.scalars(select(Site.key).order_by(Site.key)).all()
    chart = stacked_bars(chart_series(rows, args["days"]))
    nudges = nudge_stats(days=args["days"], site_key=args["site"])
    samples = queue_samples(days=args["days"], site_key=args["site"])
    return render_template("dashboard/stats.html", rows=rows, per_moderator=per_moderator,
                           chart=chart, args=args, sites=sites, nudges=nudges, samples=samples,
                           queue_chart=queue_lines(samples))


@bp.get("/stats.csv")
@use_args(StatsQuery())
def stats_csv(args: dict):
    """Download the daily statistics, decisions per moderator, then nudges, as CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in daily_stats(days=args["days"], site_key=args["site"]):
        writer.writerow(["" if value is None else value for value in row.row()])
    writer.writerow([])
    writer.writerow(MODERATOR_COLUMNS)
    writer.writerows(row.row() for row in decisions_per_moderator(days=args["days"],
                                                                  site_key=args["site"]))
    writer.writerow([])
    writer.writerow(NUDGE_COLUMNS)
    writer.writerows(row.row() for row in nudge_stats(days=args["days"], site_key=args["site"]))
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=moderation-stats.csv"})
