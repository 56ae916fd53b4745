"""The functional suite's report: shares per category and the two headline figures."""

from __future__ import annotations

import pytest

from moderation.functional_suite import Case
from moderation.functional_suite.report import build_report, render_markdown


def _case(i, category, expected):
    return Case(f"{category}-{i}", category, expected, f"text {i}", None)


CASES = [
    _case(1, "hate_stated", "hold"),
    _case(2, "hate_stated", "hold"),
    _case(3, "hate_stated", "hold"),
    _case(4, "hate_stated", "hold"),
    _case(5, "slur", "hold"),
    _case(6, "neutral_group", "publish"),
    _case(7, "neutral_group", "publish"),
    _case(8, "identity_mention", "publish"),
]
DECISIONS = ["rejected", "pending_review", "published", "pending", "published",
             "published", "rejected", "published"]


def test_per_category_shares():
    report = build_report(CASES, DECISIONS)
    rows = {row.category: row for row in report.rows}
    assert [r.category for r in report.rows] == [
        "hate_stated", "slur", "neutral_group", "identity_mention"]
    stated = rows["hate_stated"]
    assert (stated.count, stated.held, stated.published, stated.passing) == (4, 0.75, 0.25, 0.75)
    assert (rows["slur"].held, rows["slur"].passing) == (0.0, 0.0)
    neutral = rows["neutral_group"]
    assert (neutral.held, neutral.published, neutral.passing) == (0.5, 0.5, 0.5)
    assert rows["identity_mention"].passing == 1.0


def test_headline_figures_pool_all_cases_of_each_outcome():
    report = build_report(CASES, DECISIONS)
    assert (report.hold_count, report.publish_count) == (5, 3)
    assert report.hateful_held == pytest.approx(3 / 5)
    assert report.non_hateful_published == pytest.approx(2 / 3)


def test_markdown_has_headlines_and_one_row_per_category():
    text = render_markdown(build_report(CASES, DECISIONS), "Sample")
    assert text.startswith("## Sample\n")
    assert "hateful held: **60.0%** of 5 cases" in text
    assert "non-hateful published: **66.7%** of 3 cases" in text
    assert "| hate_stated | hold | 4 | 75.0% | 25.0% | 75.0% |" in text
    assert sum(line.startswith("| ") for line in text.splitlines()) == 1 + 4


def test_unknown_decisions_and_length_mismatches_are_refused():
    with pytest.raises(ValueError, match="unknown decision"):
        build_report(CASES[:1], ["approved"])
    with pytest.raises(ValueError, match="decisions"):
        build_report(CASES, DECISIONS[:-1])
