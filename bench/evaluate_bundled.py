"""Score the held-out splits through the product scorer; recalibrate thresholds; compare int8.

Run from the repository root:
    HF_HUB_OFFLINE=1 python bench/evaluate_bundled.py --data ../shared/data/toxicity [--write]
Thresholds come from the calibration split only, scored by the int8 model when int8
qualifies (it is then the default); metrics come from the test split only.
--write stores the recalibrated thresholds and metrics in the shipped metadata.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from moderation.scoring.base import LABELS
from moderation.scoring.bundled import WEIGHTS_DIR, build_bundled_scorer, bundled_metadata
from moderation.scoring.detoxify_backend import DetoxifyScorer
from moderation.training.datasets import load_all, split_examples
from moderation.training.evaluation import choose_thresholds, evaluate, profanity_baseline
from moderation.training.sampling import SPLIT_SEED, cap_rows

MIN_POSITIVES = 50


def held_out(data_dir: Path):
    """Return the calibration and test rows exactly as training reports on them."""
    splits = split_examples(load_all(data_dir), SPLIT_SEED)
    calibration = cap_rows([e for e in splits["calibration"] if e.source != "identity_templates"])
    return calibration, cap_rows(splits["test"])


def main() -> None:
    """Print test metrics for fp32 and int8 and the int8 score shift."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/toxicity"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--weights", type=Path, default=WEIGHTS_DIR,
                        help="A weights folder to measure (default: the shipped one).")
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="eval-"))
    calibration, test = held_out(args.data)

    def scorer(quantize: bool) -> DetoxifyScorer:
        return build_bundled_scorer(cache, quantize=quantize, threads=args.threads,
                                    weights_dir=args.weights)

    fp32, quantized = scorer(False), scorer(True)
    test_fp32 = fp32.score([e.text for e in test])
    test_int8 = quantized.score([e.text for e in test])
    # Decide int8 on threshold-free numbers first, then calibrate the model that ships.
    plain = {"approve": dict.fromkeys(LABELS, 0.5), "reject": dict.fromkeys(LABELS, 0.9)}
    auc_fp32 = evaluate(test, test_fp32, plain)["auc"]
    auc_int8 = evaluate(test, test_int8, plain)["auc"]
    shift = np.array(
        [[a[k] - b[k] for k in LABELS] for a, b in zip(test_fp32, test_int8, strict=True)]
    )
    max_auc_change = max(abs((auc_fp32[k] or 0) - (auc_int8[k] or 0)) for k in auc_fp32)
    # int8 qualifies when the mean score moves by at most 0.02 and no held-out ROC-AUC
    # drops by more than 0.02. Only sets with MIN_POSITIVES count: on a handful of toxic
    # rows the AUC moves by that much from one comment's score (it once rose by 0.022).
    positives = evaluate(test, test_fp32, plain)["positives"]
    max_auc_drop = max(
        (auc_fp32[k] or 0) - (auc_int8[k] or 0)
        for k in auc_fp32 if positives.get(k, 0) >= MIN_POSITIVES
    )
    recommended = max_auc_drop <= 0.02 and float(np.abs(shift).mean()) <= 0.02
    shipped = quantized if recommended else fp32
    thresholds = choose_thresholds(calibration, shipped.score([e.text for e in calibration]))
    metrics_fp32 = evaluate(test, test_fp32, thresholds, baseline=profanity_baseline)
    metrics_int8 = evaluate(test, test_int8, thresholds, baseline=profanity_baseline)
    metrics, test_shipped = (metrics_int8, test_int8) if recommended else (metrics_fp32, test_fp32)
    english = list(range(len(test)))
    top = [max(s.values()) for s in test_shipped]
    int8 = {
        "mean_abs_score_shift": round(float(np.abs(shift).mean()), 4),
        "p99_abs_score_shift": round(float(np.quantile(np.abs(shift), 0.99)), 4),
        "max_abs_score_shift": round(float(np.abs(shift).max()), 4),
        "max_auc_change": round(max_auc_change, 4),
        "max_auc_drop": round(max_auc_drop, 4),
        "fp32_auc": metrics_fp32["auc"],
        "fp32_routing": metrics_fp32["routing"],
        "int8_auc": metrics_int8["auc"],
        "int8_routing": metrics_int8["routing"],
    }
    english_auc = roc_auc_score([int(test[i].toxic) for i in english], [top[i] for i in english])
    report = {
        "thresholds": thresholds,
        "test": metrics,
        "english_auc_all_sources": round(float(english_auc), 4),
        "int8": int8,
        "int8_recommended": recommended,
    }
    print(json.dumps(report, indent=2, sort_keys=True))
    if args.write:
        metadata = bundled_metadata(args.weights)
        metadata["thresholds"] = thresholds
        metadata["int8_recommended"] = recommended
        metadata["metrics"] = {
            "scored_with": f"DetoxifyScorer, max_length {metadata.get('max_length')}, "
                           f"{'int8' if recommended else 'fp32'}",
            "rows": metrics["rows"],
            "auc": metrics["auc"],
            "auc_alt_profanity_check": metrics["auc_alt_profanity_check"],
            "routing": metrics["routing"],
            "int8": {
                k: v for k, v in int8.items()
                if "_" not in k or "shift" in k or "change" in k or "drop" in k
            },
        }
        (args.weights / "metadata.json").write_text(
            json.dumps(metadata, indent=2, sort_keys=True) + "\n"
        )


if __name__ == "__main__":
    main()
