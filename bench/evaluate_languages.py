"""Measure language detection and the per-language models on held-out comments.

For each labelled language: the share of its held-out comments detected as that
language, taken for English, left undetermined, or named as another language; then
the shipped per-language figures (ROC-AUC, toxic auto-published, clean held). English
comes from the held-out split of the English sets.

    PYTHONPATH=. python bench/evaluate_languages.py --data ../shared/data/toxicity
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

from moderation.scoring.language import UNDETERMINED, detect_language
from moderation.scoring.ngrams import LANGUAGE_WEIGHTS_DIR
from moderation.training.datasets import (
    load_davidson,
    load_toxic_spans,
    load_wikipedia_talk,
    split_examples,
)
from moderation.training.language_models import SPLIT_SEED
from moderation.training.language_sets import LANGUAGES, load_language, split_texts

PER_LANGUAGE = 1500


def _held_out(data_dir: Path) -> dict[str, list[str]]:
    """Return held-out comment texts per language, at most PER_LANGUAGE each."""
    rng = random.Random(SPLIT_SEED)
    texts = {}
    for language in LANGUAGES:
        test = split_texts(load_language(data_dir, language), SPLIT_SEED)["test"]
        texts[language] = [t.text for t in rng.sample(test, min(PER_LANGUAGE, len(test)))]
    english = []
    for loader in (load_davidson, load_toxic_spans, load_wikipedia_talk):
        english += [e.text for e in split_examples(loader(data_dir), SPLIT_SEED)["test"]
                    if e.kind == "comment"]
    texts["en"] = rng.sample(english, min(PER_LANGUAGE, len(english)))
    return texts


def detection_table(texts: dict[str, list[str]]) -> dict:
    """Return per language the shares detected as itself, English, no language (too short
    to tell: scored by the English model too), undetermined, or another language."""
    table = {}
    for language, rows in sorted(texts.items()):
        seen = Counter()
        for text in rows:
            found = detect_language(text)
            if found == language:
                seen["own"] += 1
            elif found is None:
                seen["no_language"] += 1
            elif found == "en":
                seen["english"] += 1
            elif found == UNDETERMINED:
                seen["undetermined"] += 1
            else:
                seen["other"] += 1
        table[language] = {k: round(seen[k] / len(rows), 4)
                           for k in ("own", "english", "no_language", "undetermined", "other")}
        table[language]["rows"] = len(rows)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/toxicity"))
    args = parser.parse_args()
    detection = detection_table(_held_out(args.data))
    report = json.loads((LANGUAGE_WEIGHTS_DIR / "report.json").read_text())
    print("| language | rows | itself | English | no language to tell | undetermined | another |")
    print("|---|---|---|---|---|---|---|")
    for language, row in detection.items():
        print(f"| {language} | {row['rows']} | {row['own']:.1%} | {row['english']:.1%} | "
              f"{row['no_language']:.1%} | {row['undetermined']:.1%} | {row['other']:.1%} |")
    print()
    print("| language | held-out rows | ROC-AUC | toxic auto-published | clean held | scored |")
    print("|---|---|---|---|---|---|")
    for language, row in sorted(report.items()):
        print(f"| {language} | {row['rows']} | {row['auc']:.3f} | {row['toxic_published']:.1%} "
              f"| {row['clean_held']:.1%} | {'yes' if row['scored'] else 'no: review'} |")


if __name__ == "__main__":
    main()
