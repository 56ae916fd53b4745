"""Load the further English sets: rater shares on news comments, implicit, forum and
adversarial hate, and clean discussion."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from moderation.training.datasets import Example, _read_csv, _targets, text_group


def load_news_subtypes(data_dir: Path) -> list[Example]:
    """News comments with each rater's verdict: toxicity and subtypes as rater shares."""
    examples = []
    path = data_dir / "toxic_spans_subtypes" / "tsd_train_span_subtypes.csv"
    for row in _read_csv(path):
        raters = int(row["n_raters"])
        if raters == 0:
            continue
        share = {k: int(row[f"n_raters_{k}"]) / raters
                 for k in ("insult", "threat", "identity_attack", "obscene")}
        toxicity = 1 - int(row["n_rated_not_toxic"]) / raters
        examples.append(Example(
            row["text"], "news_raters", text_group("news", row["text"]),
            _targets(toxicity=toxicity, **share),
        ))
    return examples


def load_toxigen(data_dir: Path) -> list[Example]:
    """Human-written sentences about 16 groups: hateful (implicit, mostly) or neutral."""
    seen, examples = set(), []
    path = data_dir / "toxigen_seeds" / "toxigen_seed_sentences.tsv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = row["text"].strip()
            if not text or text in seen:
                continue
            seen.add(text)
            hate = 1.0 if row["label"] == "hate" else 0.0
            examples.append(Example(
                text, "toxigen", text_group("toxigen", text),
                _targets(toxicity=hate, identity_attack=hate),
                meta={"group": row["target_group"]},
            ))
    return examples


def load_stormfront(data_dir: Path) -> list[Example]:
    """Forum sentences marked hate or not; hate here attacks a group."""
    examples = []
    path = data_dir / "stormfront_vicomtech" / "stormfront_sentences.tsv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["label"] not in ("hate", "noHate"):
                continue  # "relation" is hate only with its context; idk/skip has no verdict
            hate = 1.0 if row["label"] == "hate" else 0.0
            group = "stormfront:" + row["file_id"].split("_")[0]  # one post's sentences together
            examples.append(Example(
                row["text"], "stormfront", group, _targets(toxicity=hate, identity_attack=hate)
            ))
    return examples


def load_hatemoji(data_dir: Path) -> list[Example]:
    """Adversarial and emoji hate with its non-hateful perturbations, split by pair."""
    examples = []
    for file in ("train.csv", "validation.csv"):
        for row in _read_csv(data_dir / "hatemoji_build" / file):
            hate = float(row["label_gold"])
            threat = hate if row["type"] == "threateninglanguage" else 0.0
            pair = min(row["entry_id"], row["matched_id"] or row["entry_id"], key=int)
            examples.append(Example(
                row["text"], "hatemoji", f"hatemoji:{pair}",
                _targets(toxicity=hate, identity_attack=hate, threat=threat),
                meta={"type": row["type"]},
            ))
    return examples


def load_gab(data_dir: Path) -> list[Example]:
    """Gab posts: degradation of people for who they are, calls for violence, vulgarity."""
    examples = []
    for file in ("dev.jsonl", "test.jsonl"):
        with (data_dir / "gab_hate_corpus_ghc" / file).open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                hd, cv, vo = (float(row.get(k) or 0) for k in ("hd", "cv", "vo"))
                toxic = max(hd, cv, vo)
                examples.append(Example(
                    row["Text"], "gab", f"gab:{row['text_id']}",
                    _targets(toxicity=toxic, identity_attack=hd, threat=cv, obscene=vo),
                ))
    return examples


def load_wikipedia_context(data_dir: Path) -> list[Example]:
    """Wikipedia talk comments, mostly clean discussion."""
    examples = []
    for file in ("gc.csv", "gn.csv"):
        for row in _read_csv(data_dir / "wikipedia_context_cat_large" / file):
            examples.append(Example(
                row["text"], "wikipedia_context", f"wikipedia_context:{row['id']}",
                _targets(toxicity=float(row["label"])),
            ))
    return examples


def load_identity_templates(data_dir: Path) -> list[Example]:
    """Synthetic sentences naming a group, toxic or not: naming a group is not toxic."""
    path = data_dir / "jigsaw_sentence_templates" / "en_sentence_templates.csv"
    return [
        Example(row["phrase"], "identity_templates", f"identity_templates:{i}",
                _targets(toxicity=1.0 if row["toxicity"] == "toxic" else 0.0), kind="template")
        for i, row in enumerate(_read_csv(path))
    ]


FURTHER_LOADERS = (
    load_news_subtypes, load_toxigen, load_stormfront, load_hatemoji, load_gab,
    load_wikipedia_context, load_identity_templates,
)
