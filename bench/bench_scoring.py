"""Benchmark the bundled model: comments/s at batch 1 and 32, and peak RSS, per runtime.

"auto" is the default: the runtime and precision the model picks by timing them at load.
Each run also times language detection and the per-language models, and counts them in
the RSS. "fp32", "int8" and "int8-all" run in torch; "onnx-fp32" and "onnx-int8" in ONNX
Runtime.

"int8" keeps the few Linear layers the model names in fp32; "int8-all" quantizes those
too, to show what keeping them costs. batch1_short is a post-sized comment (8 words)
scored alone, as an inline post is when no other post shares its model call.

Run from the repository root:
    HF_HUB_OFFLINE=1 python bench/bench_scoring.py [--threads 2] [--cache DIR]
Each variant runs in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "the",
    "council",
    "said",
    "new",
    "budget",
    "would",
    "cover",
    "road",
    "repairs",
    "next",
    "year",
    "while",
    "residents",
    "asked",
    "why",
    "school",
    "funding",
    "was",
    "cut",
    "again",
    "and",
    "many",
    "readers",
    "think",
    "mayor",
    "should",
    "explain",
    "plan",
    "in",
    "public",
    "meeting",
    "before",
    "vote",
    "on",
    "tax",
    "increase",
    "this",
    "article",
    "reports",
]


def comments(count: int, words: int = 40, seed: int = 0) -> list[str]:
    """Return deterministic news-comment-like texts of the given word count."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(words)) for _ in range(count)]


VARIANTS = ("fp32", "int8", "int8-all", "onnx-fp32", "onnx-int8", "auto")


def measure(variant: str, threads: int, cache: Path) -> dict:
    """Load the bundled model in this process and time it."""
    from moderation.scoring.bundled import build_bundled_scorer

    options = {"keep_fp32": ()} if variant == "int8-all" else {}
    if variant != "auto":
        options["runtime"] = "onnx" if variant.startswith("onnx") else "torch"
    # "auto" is the default: the runtime and precision measured at load, as served.
    quantize = None if variant == "auto" else not variant.endswith("fp32")
    scorer = build_bundled_scorer(
        cache, quantize=quantize, threads=threads, batch_size=32, **options
    )
    # What else a serving process holds, loaded in the order of a worker's warm start
    # (moderation/ops/warm.py): language detection, the per-language models, the model.
    from moderation.scoring.language import detect_language
    from moderation.scoring.ngrams import language_models

    detect_language("A few plain words, so language detection loads its model now.")
    models = language_models()
    started = time.perf_counter()
    scorer.load()
    load_s = time.perf_counter() - started
    scorer.score(comments(8, seed=99))  # warm-up

    singles = comments(100, seed=1)
    started = time.perf_counter()
    for text in singles:
        scorer.score([text])
    batch1 = len(singles) / (time.perf_counter() - started)

    posts = comments(200, words=8, seed=3)
    started = time.perf_counter()
    for text in posts:
        scorer.score([text])
    batch1_short = len(posts) / (time.perf_counter() - started)

    batched = comments(320, seed=2)
    started = time.perf_counter()
    scorer.score(batched)
    batch32 = len(batched) / (time.perf_counter() - started)

    started = time.perf_counter()
    for text in batched:
        detect_language(text + " ")  # past the detection cache
    detect_per_s = len(batched) / (time.perf_counter() - started)
    started = time.perf_counter()
    for model in models.values():
        model.score(batched)
    ngram_per_s = len(batched) * len(models) / (time.perf_counter() - started)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    return {
        "variant": variant,
        "precision": scorer.precision,
        "runtime": scorer.runtime,
        "detect_per_s": round(detect_per_s),
        "language_model_per_s": round(ngram_per_s),
        "load_s": round(load_s, 2),
        "batch1_per_s": round(batch1, 1),
        "batch1_short_per_s": round(batch1_short, 1),
        "batch32_per_s": round(batch32, 1),
        "peak_rss_mb": round(peak_mb),
    }


def main() -> None:
    """Run fp32 and int8 in child processes and print their results and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="bench-scoring-"))
    if args.variant:
        print(json.dumps(measure(args.variant, args.threads, cache)))
        return

    # Assemble the checkpoint here, once, as the first start of a release does: each
    # variant's peak RSS is then what a restarted serving process reaches.
    from moderation.scoring.bundled import ensure_bundled_checkpoint

    ensure_bundled_checkpoint(cache)
    results = []
    for variant in VARIANTS:
        command = [
            sys.executable,
            __file__,
            "--variant",
            variant,
            "--threads",
            str(args.threads),
            "--cache",
            str(cache),
        ]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    by_variant = {result["variant"]: result for result in results}

    def ratios(top: str, bottom: str) -> dict:
        return {
            key: round(by_variant[top][key] / by_variant[bottom][key], 2)
            for key in ("batch1_per_s", "batch1_short_per_s", "batch32_per_s", "peak_rss_mb")
        }

    report = {
        "threads": args.threads,
        "results": results,
        "int8_over_fp32": ratios("int8", "fp32"),
        "int8_over_int8_all": ratios("int8", "int8-all"),
        "auto_over_fp32": ratios("auto", "fp32"),
        "onnx_int8_over_int8": ratios("onnx-int8", "int8"),
        "onnx_fp32_over_fp32": ratios("onnx-fp32", "fp32"),
        "auto_over_int8": ratios("auto", "int8"),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
