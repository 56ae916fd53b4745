"""Per-category pass rates of the suite under the service's decisions, as Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from moderation.functional_suite.cases import Case
from moderation.functional_suite.templates import HOLD, PUBLISH, categories

# The service's decision names; "pending" is accepted as a short form of pending_review.
HELD = {"pending_review", "pending", "rejected"}
PUBLISHED = {"published"}


@dataclass(frozen=True)
class CategoryResult:
    """How one category fared: its size and the shares held, published and passing."""

    category: str
    expected: str
    count: int
    held: float
    published: float
    passing: float


@dataclass(frozen=True)
class Report:
    """Every category's result plus the two headline figures."""

    rows: tuple[CategoryResult, ...]
    hateful_held: float  # share of all hold-category cases that were held
    non_hateful_published: float  # share of all publish-category cases left published
    hold_count: int
    publish_count: int


def is_held(decision: str) -> bool:
    """Return True for a decision that keeps the comment from readers."""
    decision = decision.strip().lower()
    if decision in HELD:
        return True
    if decision in PUBLISHED:
        return False
    raise ValueError(f"unknown decision {decision!r}")


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def build_report(cases: Sequence[Case], decisions: Sequence[str]) -> Report:
    """Compute the report; decisions[i] is the service's decision for cases[i]."""
    if len(cases) != len(decisions):
        raise ValueError(f"{len(cases)} cases but {len(decisions)} decisions")
    order = [c.name for c in categories()]
    tallies: dict[str, list[int]] = {}  # category -> [count, held]
    expected: dict[str, str] = {}
    for case, decision in zip(cases, decisions, strict=True):
        tally = tallies.setdefault(case.category, [0, 0])
        tally[0] += 1
        tally[1] += is_held(decision)
        expected[case.category] = case.expected
    # Known categories in suite order, then any others (a hand-made list) by name.
    names = [n for n in order if n in tallies] + sorted(set(tallies) - set(order))
    rows = []
    for name in names:
        count, held = tallies[name]
        passed = held if expected[name] == HOLD else count - held
        rows.append(CategoryResult(name, expected[name], count, _share(held, count),
                                   _share(count - held, count), _share(passed, count)))
    hold_names = [n for n in names if expected[n] == HOLD]
    publish_names = [n for n in names if expected[n] == PUBLISH]
    hold_count = sum(tallies[n][0] for n in hold_names)
    publish_count = sum(tallies[n][0] for n in publish_names)
    hold_held = sum(tallies[n][1] for n in hold_names)
    publish_published = sum(tallies[n][0] - tallies[n][1] for n in publish_names)
    return Report(
        rows=tuple(rows),
        hateful_held=_share(hold_held, hold_count),
        non_hateful_published=_share(publish_published, publish_count),
        hold_count=hold_count,
        publish_count=publish_count,
    )


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def render_markdown(report: Report, title: str) -> str:
    """Render the headline figures and the per-category table as Markdown."""
    lines = [
        f"## {title}",
        "",
        f"- hateful held: **{_pct(report.hateful_held)}** of {report.hold_count} cases",
        f"- non-hateful published: **{_pct(report.non_hateful_published)}** of "
        f"{report.publish_count} cases",
        "",
        "| category | expected | cases | held | published | passing |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in report.rows:
        lines.append(f"| {row.category} | {row.expected} | {row.count} | {_pct(row.held)} | "
                     f"{_pct(row.published)} | {_pct(row.passing)} |")
    return "\n".join(lines) + "\n"
