"""How the dashboard words counts, times and routing reasons for moderators."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup, escape

from moderation.dashboard import bp
from moderation.policy.phrases import phrase_family

# What a built-in phrase family is called where the queue shows why a comment was held.
PHRASE_LABELS = {"threat": "built-in threat phrase", "group_attack": "group-attack phrase",
                 "slur": "built-in slur"}


@bp.app_template_filter("plural")
def plural(count: int, singular: str, many: str | None = None) -> str:
    """Return '1 report' or '3 reports'."""
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


@bp.app_template_filter("moment")
def moment(value: datetime | None, empty: str = "never") -> Markup:
    """Return a <time> with a readable UTC date, its exact time shown on hover."""
    if value is None:
        return Markup(escape(empty))
    exact = value.strftime("%Y-%m-%d %H:%M:%S UTC")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        value.isoformat(timespec="seconds") + "Z", exact,
        f"{value.day} {value:%b %Y, %H:%M} UTC")


@bp.app_template_global()
def reason_label(reason: str, matched: str | None) -> str:
    """Return a routing reason in words; a built-in phrase is named as what it is."""
    if reason == "suspect_word" and matched:
        family = phrase_family(matched)
        if family:
            return PHRASE_LABELS[family]
    return reason.replace("_", " ")
