"""Train the bundled model's top layers on the shared comment sets, on CPU.

The lower encoder layers stay frozen, so their outputs are computed once per
comment and cached; each training step then runs only the trained top layers.
That is what makes a useful fine-tune fit in under 30 minutes on two cores.
"""

from __future__ import annotations

import copy
import json
import math
import random
import time
from pathlib import Path

from moderation.scoring.base import LABELS
from moderation.scoring.bundled import BUNDLED_MODEL_ID, INT8_KEEP_FP32, save_weights
from moderation.scoring.detoxify_backend import quantize_int8
from moderation.scoring.encoder import build_classifier, load_tokenizer
from moderation.training.datasets import Example, load_all, split_examples
from moderation.training.evaluation import choose_thresholds, evaluate, profanity_baseline
from moderation.training.sampling import SPLIT_SEED, cap_rows, compose_training_set
from moderation.training.split_encoder import (
    MAX_LENGTH,
    TRAINED_LAYERS,
    cache_lower,
    forward_upper,
    pad,
    score_examples,
    trained_parameter_names,
)

# torch, numpy and tqdm load inside the functions: the CLI imports this module only for
# train-model, and tests import it without training.
BATCH_SIZE = 32
EPOCHS = 2
LEARNING_RATE = {"encoder": 1e-4, "head": 2e-3}
# int8 is recommended when it moves scores by at most this much on average
# (bench/evaluate_bundled.py also checks every held-out ROC-AUC).
INT8_TOLERANCE = 0.02


def _batches(lengths: list[int], rng: random.Random, batch_size: int) -> list[list[int]]:
    """Group indices of similar length so little compute goes to padding."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for start in range(0, len(order), chunk):
        block = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        batches += [block[i : i + batch_size] for i in range(0, len(block), batch_size)]
    rng.shuffle(batches)
    return batches


def _targets_tensor(examples: list[Example]):
    import torch

    values = [
        [e.targets[label] if e.targets[label] is not None else 0.0 for label in LABELS]
        for e in examples
    ]
    known = [
        [e.weight if e.targets[label] is not None else 0.0 for label in LABELS] for e in examples
    ]
    return torch.tensor(values), torch.tensor(known)


def _optimizer(model, total_steps: int):
    import torch

    names = set(trained_parameter_names(model))
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name in names
    head = [p for n, p in model.named_parameters() if n in names and n.startswith("classifier.")]
    encoder = [
        p for n, p in model.named_parameters() if n in names and not n.startswith("classifier.")
    ]
    optimizer = torch.optim.AdamW(
        [
            {"params": encoder, "lr": LEARNING_RATE["encoder"]},
            {"params": head, "lr": LEARNING_RATE["head"]},
        ],
        weight_decay=0.01,
    )
    warmup = max(1, total_steps // 20)

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)


def _int8_shift(model, tokenizer, examples: list[Example], scores: list[dict]) -> float:
    """Return the mean score change int8 dynamic quantization causes on examples."""
    quantized = quantize_int8(copy.deepcopy(model), INT8_KEEP_FP32)
    shifted = score_examples(quantized, tokenizer, examples)
    changes = [
        abs(a[label] - b[label]) for a, b in zip(scores, shifted, strict=True) for label in LABELS
    ]
    return sum(changes) / len(changes)


def train_model(
    data_dir: Path,
    out_dir: Path,
    *,
    seed: int = 13,
    max_minutes: float = 29,
    limit: int | None = None,
    max_steps: int | None = None,
    progress: bool = True,
) -> dict:
    """Train the bundled model; write weights, metadata and metrics.json to out_dir."""
    import torch

    started = time.monotonic()
    threads = torch.get_num_threads()
    # Two threads: the whole-encoder run needs both cores of the 2-core machine to fit
    # its time; results then match across runs on one machine, not across machines.
    torch.set_num_threads(2)
    try:
        return _train(data_dir, out_dir, seed, max_minutes, limit, max_steps, progress, started)
    finally:
        torch.set_num_threads(threads)


def _train(data_dir, out_dir, seed, max_minutes, limit, max_steps, progress, started) -> dict:
    import numpy as np
    import torch
    from tqdm import tqdm

    data_dir, out_dir = Path(data_dir), Path(out_dir)
    rng = random.Random(seed)
    torch.manual_seed(seed)

    splits = split_examples(load_all(data_dir), SPLIT_SEED)
    train = compose_training_set(splits["train"], rng)
    calibration, test = splits["calibration"], splits["test"]
    calibration = cap_rows([e for e in calibration if e.source != "identity_templates"])
    test = cap_rows(test)
    if limit is not None:
        train = rng.sample(train, min(limit, len(train)))
        calibration = random.Random(SPLIT_SEED).sample(calibration, min(limit, len(calibration)))
        test = random.Random(SPLIT_SEED).sample(test, min(limit, len(test)))

    model = build_classifier()
    tokenizer = load_tokenizer()
    # Repeated examples share one cached encoding.
    unique = {id(e): e for e in train}
    position = {key: i for i, key in enumerate(unique)}
    encoded = cache_lower(model, tokenizer, [e.text for e in unique.values()], progress)
    cached = [encoded[position[id(e)]] for e in train]
    targets, known = _targets_tensor(train)
    lengths = [len(h) for h in cached]

    steps_per_epoch = math.ceil(len(train) / BATCH_SIZE)
    total_steps = max_steps if max_steps is not None else steps_per_epoch * EPOCHS
    optimizer, scheduler = _optimizer(model, total_steps)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    model.train()
    step, losses, stopped_by_time = 0, [], False
    bar = tqdm(total=total_steps, desc="training", disable=not progress)
    while step < total_steps and not stopped_by_time:
        for batch in _batches(lengths, rng, BATCH_SIZE):
            if step >= total_steps:
                break
            if time.monotonic() - started > max_minutes * 60 * 0.85:
                stopped_by_time = True  # leave time for calibration and the test metrics
                break
            hidden = pad([cached[i].float() for i in batch])
            mask = pad([torch.ones(len(cached[i]), dtype=torch.long) for i in batch], 0)
            logits = forward_upper(model, hidden, mask)
            weight = known[batch]
            loss = (loss_fn(logits, targets[batch]) * weight).sum() / weight.sum().clamp(min=1.0)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
            step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{np.mean(losses[-50:]):.3f}")
    bar.close()
    del cached

    calibration_scores = score_examples(model, tokenizer, calibration, progress)
    thresholds = choose_thresholds(calibration, calibration_scores)
    test_scores = score_examples(model, tokenizer, test, progress)
    test_metrics = evaluate(test, test_scores, thresholds, baseline=profanity_baseline)
    probe = list(range(0, len(test), max(1, len(test) // 400)))
    int8_shift = _int8_shift(
        model, tokenizer, [test[i] for i in probe], [test_scores[i] for i in probe]
    )

    metrics = {
        "model_id": BUNDLED_MODEL_ID,
        "seed": seed,
        "split_seed": SPLIT_SEED,
        "steps": step,
        "planned_steps": total_steps,
        "stopped_by_time": stopped_by_time,
        "final_loss": round(float(np.mean(losses[-50:])), 4) if losses else None,
        "train_rows": len(train),
        "calibration_rows": len(calibration),
        "minutes": round((time.monotonic() - started) / 60, 2),
        "int8_mean_score_shift": round(int8_shift, 4),
        "test": test_metrics,
        # The headline numbers, flat, for the train-model command to print.
        "summary": {
            **{f"auc_{k}": v for k, v in test_metrics["auc"].items() if not k.startswith("label_")},
            **test_metrics["routing"],
            "steps": step,
            "stopped_by_time": stopped_by_time,
        },
    }
    state = model.state_dict()
    trained = {name: state[name] for name in trained_parameter_names(model)}
    metadata = {
        "model_id": BUNDLED_MODEL_ID,
        "labels": list(LABELS),
        "languages": ["en"],
        "thresholds": thresholds,
        "int8_recommended": int8_shift <= INT8_TOLERANCE,
        "max_length": MAX_LENGTH,
        "trained_layers": TRAINED_LAYERS,
        "weakly_supervised": ["severe_toxicity", "threat"],
        "metrics": {
            "auc": test_metrics["auc"],
            "auc_alt_profanity_check": test_metrics["auc_alt_profanity_check"],
            "routing": test_metrics["routing"],
            "int8_mean_score_shift": metrics["int8_mean_score_shift"],
        },
    }
    save_weights(out_dir, trained, metadata)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    return metrics
