"""Measure how often the built-in hold phrases fire on the shared labelled comments.

Prints, per source, the share of clean comments the phrases would send to review
(the cost) and the share of toxic or identity-attack comments they catch (the gain),
and how long the checks take per comment on the posting path.

    PYTHONPATH=. python bench/evaluate_hold_phrases.py --data ../shared/data/toxicity
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from moderation import create_app
from moderation.policy.phrases import find_hold_phrase
from moderation.policy.phrases.group_attacks import find_group_attack
from moderation.policy.phrases.slurs import find_slur
from moderation.policy.phrases.threats import find_threat
from moderation.training.datasets import (
    load_conversationai,
    load_davidson,
    load_jigsaw,
    load_toxic_spans,
    load_wikipedia_talk,
)
from moderation.training.further_sets import load_gab, load_hatemoji, load_news_subtypes


def _groups(data_dir: Path) -> dict[str, list]:
    """Return named sets of comments: clean ones, toxic ones and identity attacks."""
    loaders = (load_wikipedia_talk, load_conversationai, load_jigsaw)
    wikipedia = [e for load in loaders for e in load(data_dir)]
    davidson = load_davidson(data_dir)
    spans = load_toxic_spans(data_dir)
    return {
        "clean Wikipedia comments": [e for e in wikipedia if not e.toxic],
        "clean news sentences (toxic_spans remainders)": [
            e for e in spans if e.kind == "remainder"
        ],
        "Davidson 'neither' tweets": [e for e in davidson if e.meta["class"] == 2],
        "toxic Wikipedia comments": [e for e in wikipedia if e.toxic],
        "Wikipedia identity attacks (raters' majority)": [
            e for e in wikipedia if (e.targets["identity_attack"] or 0) >= 0.5
        ],
        "Davidson hate speech": [e for e in davidson if e.meta["class"] == 0],
        "toxic news comments": [e for e in spans if e.kind == "comment"],
        # Threats as raters labelled them: the gain that the threat phrases are for.
        "news comments half the raters call threats": _threats(load_news_subtypes(data_dir)),
        "Gab calls for violence": _threats(load_gab(data_dir)),
        "HatemojiBuild threatening hate": _threats(load_hatemoji(data_dir)),
    }


def _threats(examples: list) -> list:
    """Return the examples whose threat label is at least one half."""
    return [e for e in examples if (e.targets.get("threat") or 0) >= 0.5]


def main() -> None:
    """Print the firing rate of each phrase family on each set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/toxicity"))
    args = parser.parse_args()
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": "sqlite://"})
    results = {}
    with app.app_context():
        for name, examples in _groups(args.data).items():
            threat = sum(bool(find_threat(e.text)) for e in examples)
            group = sum(bool(find_group_attack(e.text)) for e in examples)
            slur = sum(bool(find_slur(e.text)) for e in examples)
            started = time.perf_counter()
            either = sum(bool(find_hold_phrase(e.text)) for e in examples)
            seconds = time.perf_counter() - started
            characters = sum(len(e.text) for e in examples)
            results[name] = {
                "rows": len(examples),
                "threat_phrases": round(threat / len(examples), 4),
                "group_attack_phrases": round(group / len(examples), 4),
                "slurs": round(slur / len(examples), 4),
                "either": round(either / len(examples), 4),
                "mean_characters": round(characters / len(examples)),
                "microseconds_per_comment": round(seconds / len(examples) * 1e6),
            }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
