"""Run the functional test suite through `flask moderation score`, phrase lists on and off.

Writes the cases to a CSV, scores them twice in a subprocess (the built-in threat and
group-attack phrase lists on, then off) and prints one Markdown report per run:

    .venv/bin/python bench/functional_suite.py --out /tmp/suite.md --cases-out /tmp/suite.csv

The database and the instance folder (where the bundled model is assembled) live in a
throwaway folder, so the run leaves nothing behind in the checkout.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The service imports the top-level config package, which lives in the checkout root.
sys.path.insert(0, str(ROOT))

from moderation.functional_suite.cases import Case, build_cases  # noqa: E402
from moderation.functional_suite.report import (  # noqa: E402
    build_report,
    is_held,
    render_markdown,
)

LABELS = ("toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack")

# Booleans parse as true only for 1/true/yes/on (config._parse); set both runs explicitly
# so an operator's own MODERATION_* overrides cannot change what "on" means.
RUNS = {
    "phrase lists on": {"MODERATION_THREAT_PHRASES": "true",
                        "MODERATION_GROUP_ATTACK_PHRASES": "true",
                        "MODERATION_SLUR_PHRASES": "true"},
    "phrase lists off": {"MODERATION_THREAT_PHRASES": "false",
                         "MODERATION_GROUP_ATTACK_PHRASES": "false",
                         "MODERATION_SLUR_PHRASES": "false"},
}


def score(cases: list[Case], workdir: Path, overrides: dict[str, str], flask: str) -> list[dict]:
    """Score the cases with the CLI under the given settings; return its rows in order."""
    source = workdir / "cases.csv"
    target = workdir / "scored.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_id", "text"])
        writer.writerows([c.case_id, c.text] for c in cases)
    env = dict(os.environ, **overrides)
    env.update({
        "MODERATION_DATABASE_URL": "sqlite:///" + str(workdir / "moderation.sqlite"),
        "MODERATION_INSTANCE_PATH": str(workdir / "instance"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    })
    subprocess.run([flask, "--app", "wsgi", "moderation", "score", "--input", str(source),
                    "--output", str(target)], cwd=ROOT, env=env, check=True)
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if [r["case_id"] for r in rows] != [c.case_id for c in cases]:
        raise RuntimeError("the scored CSV does not match the cases row for row")
    return rows


def write_cases(path: Path, cases: list[Case], results: dict[str, list[dict]]) -> None:
    """Write one row per case: what was expected and each run's decision and reason."""
    names = list(results)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        header = ["case_id", "category", "expected", "group", "text", "plain", *LABELS]
        for name in names:
            tag = name.replace("phrase lists ", "phrases_")
            header += [f"decision_{tag}", f"reason_{tag}", f"passes_{tag}"]
        writer.writerow(header)
        for i, case in enumerate(cases):
            first = results[names[0]][i]
            row = [case.case_id, case.category, case.expected, case.group or "", case.text,
                   case.plain or "", *(first.get(label, "") for label in LABELS)]
            for name in names:
                scored = results[name][i]
                held = is_held(scored["decision"])
                row += [scored["decision"], scored["reason"],
                        int(held == (case.expected == "hold"))]
            writer.writerow(row)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="Also write the Markdown reports here.")
    parser.add_argument("--cases-out", type=Path, help="Write per-case decisions as CSV here.")
    parser.add_argument("--flask", default=str(ROOT / ".venv" / "bin" / "flask"),
                        help="The flask executable of the service's virtualenv.")
    args = parser.parse_args(argv)

    cases = build_cases()
    categories = len({c.category for c in cases})
    sections = [f"# Functional test suite: {len(cases)} cases in {categories} categories\n"]
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="functional-suite-") as tmp:
        for index, (name, overrides) in enumerate(RUNS.items()):
            # A fresh folder per run: in trials, scoring after reusing an instance folder
            # whose bundled checkpoint was already assembled ran about twice as slow.
            workdir = Path(tmp) / f"run-{index}"
            workdir.mkdir()
            started = time.perf_counter()
            rows = score(cases, workdir, overrides, args.flask)
            elapsed = time.perf_counter() - started
            results[name] = rows
            report = build_report(cases, [r["decision"] for r in rows])
            sections.append(render_markdown(report, f"Bundled model, {name}") +
                            f"\n_{elapsed:.1f} s for the run, model loading included._\n")
    text = "\n".join(sections)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.cases_out:
        write_cases(args.cases_out, cases, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
