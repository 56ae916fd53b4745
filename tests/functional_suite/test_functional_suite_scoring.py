"""A sample of the suite through the real `moderation score` command and the report."""

from __future__ import annotations

import csv

import pytest

from moderation.functional_suite import build_cases, categories
from moderation.functional_suite.cases import sample_cases
from moderation.functional_suite.report import build_report, render_markdown

# Four cases per category: about a hundred comments, a few seconds on the bundled model.
PER_CATEGORY = 4


@pytest.mark.model
def test_sample_scores_through_the_cli_and_reports_every_category(app_factory, tmp_path,
                                                                  bundled_cache):
    cases = sample_cases(build_cases(), PER_CATEGORY)
    source, target = tmp_path / "cases.csv", tmp_path / "scored.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "text"])
        writer.writerows([c.case_id, c.text] for c in cases)
    # The scoring tests' instance folder and precision: the model is exported there once.
    runner = app_factory(MODEL="bundled", INSTANCE_PATH=str(bundled_cache),
                         MODEL_QUANTIZE=True).test_cli_runner()
    result = runner.invoke(args=["moderation", "score", "--input", str(source),
                                 "--output", str(target)])
    assert result.exit_code == 0, result.output
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["case_id"] for r in rows] == [c.case_id for c in cases]

    # Quality is measured by bench/functional_suite.py for the model card, not asserted here.
    report = build_report(cases, [r["decision"] for r in rows])
    assert [r.category for r in report.rows] == [c.name for c in categories()]
    assert all(r.count == PER_CATEGORY for r in report.rows)
    assert 0.0 <= report.hateful_held <= 1.0 and 0.0 <= report.non_hateful_published <= 1.0
    markdown = render_markdown(report, "sample")
    assert all(f"| {c.name} |" in markdown for c in categories())
