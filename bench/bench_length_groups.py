"""Scoring calls cut by token length against fixed cuts of 32, on queue-worker batches.

    HF_HUB_OFFLINE=1 OMP_NUM_THREADS=1 PYTHONPATH=. python bench/bench_length_groups.py \
        --data ../shared/data/toxicity [--count 1600] [--repeats 2]

Scores real comments (the mix of bench_score_paths.py) in batches of 64 as a worker
receives them, at one model thread, with ONNX Runtime int8 and PyTorch int8; for each, the
scorer's cut by length and the former fixed cut (sorted, 32 a call) alternate. Prints
comments per second and the tokens computed per real token under each cut.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.bench_score_paths import sample_texts
from moderation.scoring import detoxify_backend
from moderation.scoring.bundled import build_bundled_scorer

BATCH = 64


def fixed_cut(lengths: list[int], size: int) -> list[list[int]]:
    """The former cut: sorted by length, size texts a call."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    return [order[start:start + size] for start in range(0, len(order), size)]


def padding_ratio(scorer, texts: list[str], cut) -> float:
    """Return tokens computed per real token when batches of BATCH are cut by cut."""
    tokenizer, computed, real = scorer.load().tokenizer, 0, 0
    for start in range(0, len(texts), BATCH):
        ids = tokenizer(texts[start:start + BATCH], truncation=True,
                        max_length=scorer.max_length)["input_ids"]
        lengths = [len(row) for row in ids]
        real += sum(lengths)
        computed += sum(len(group) * max(lengths[i] for i in group)
                        for group in cut(lengths, scorer.batch_size))
    return computed / real


def rate(scorer, texts: list[str]) -> float:
    """Return comments per second scored in batches of BATCH."""
    scorer.score(texts[:BATCH])
    began = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        scorer.score(texts[start:start + BATCH])
    return len(texts) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/toxicity"))
    parser.add_argument("--count", type=int, default=1600)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    texts = sample_texts(args.data, args.count)
    by_length = detoxify_backend.group_by_length
    figures: dict = {"comments": len(texts), "batch": BATCH}
    with tempfile.TemporaryDirectory() as cache:
        for runtime in ("onnx", "torch"):
            scorer = build_bundled_scorer(Path(cache), quantize=True, runtime=runtime,
                                          threads=1, use="batches")
            scorer.load()
            row: dict = {"fixed_per_s": [], "by_length_per_s": []}
            for _ in range(args.repeats):
                for key, cut in (("fixed_per_s", fixed_cut), ("by_length_per_s", by_length)):
                    detoxify_backend.group_by_length = cut
                    try:
                        row[key].append(round(rate(scorer, texts), 1))
                    finally:
                        detoxify_backend.group_by_length = by_length
            row["fixed_tokens_per_real"] = round(padding_ratio(scorer, texts, fixed_cut), 3)
            row["by_length_tokens_per_real"] = round(padding_ratio(scorer, texts, by_length), 3)
            figures[f"{runtime}_{scorer.precision}"] = row
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
