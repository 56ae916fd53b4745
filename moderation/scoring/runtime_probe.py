"""The child process that prepares the model for ONNX Runtime and times the candidates.

Run as `python -m moderation.scoring.runtime_probe REQUEST` by `onnx_runtime.prepared` on
the first load of a release: exporting and quantizing take far more memory than serving,
and the process that serves never holds them.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

from moderation.scoring.detoxify_backend import (
    INT8_MARGIN,
    PROBE_BATCH,
    PROBE_REPEATS,
    PROBE_TEXT,
    DetoxifyScorer,
)
from moderation.scoring.detoxify_backend import quantize_int8 as quantize_torch_int8
from moderation.scoring.files import atomic_write
from moderation.scoring.onnx_runtime import (
    OnnxModule,
    choice_path,
    cpu_signature,
    export_fp32,
    fuse_bert,
    int8_path_of,
    quantize_int8,
)


def _best_time(run) -> float:
    """Return the fastest of PROBE_REPEATS calls of run, after one warm-up."""
    run()
    timings = []
    for _ in range(PROBE_REPEATS):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return min(timings)


def _per_comment(runs: tuple, use: str) -> float:
    """Return the seconds per comment for a process of this use.

    "posts" (web processes): a batch and a comment alone, averaged, since a post's own
    model call holds one to a few comments. "batches" (queue workers, `score`, backlog
    scoring): the batch alone, since they score dozens of comments a call.
    """
    batch, single = runs
    if use == "batches":
        return _best_time(batch) / PROBE_BATCH
    return (_best_time(batch) / PROBE_BATCH + _best_time(single)) / 2


def _time_candidate(candidate: tuple[str, str], runs: tuple, use: str) -> float:
    """Return a candidate's (runtime, precision) seconds per comment on this machine."""
    return _per_comment(runs, use)


def _onnx_runs(module: OnnxModule, tokenizer, max_length: int) -> tuple:
    encode = [tokenizer(texts, return_tensors="np", truncation=True, max_length=max_length,
                        padding=True) for texts in ([PROBE_TEXT] * PROBE_BATCH, [PROBE_TEXT])]
    return tuple(lambda encoded=encoded: module.run(encoded) for encoded in encode)


def _torch_runs(module, tokenizer, max_length: int) -> tuple:
    import torch

    encode = [tokenizer(texts, return_tensors="pt", truncation=True, max_length=max_length,
                        padding=True) for texts in ([PROBE_TEXT] * PROBE_BATCH, [PROBE_TEXT])]

    def run(encoded):
        with torch.inference_mode():
            module(**encoded)

    return tuple(lambda encoded=encoded: run(encoded) for encoded in encode)


def prepare(request: dict) -> dict:
    """Export the model, write its int8 copy, time the candidates and record the fastest.

    quantize True or False forces the precision; "auto" lets int8 win when it is
    INT8_MARGIN faster than the fastest fp32. runtime "onnx" leaves torch out of the race;
    "auto" keeps torch where it is faster than ONNX Runtime. use "batches" times batches
    only and lets PyTorch's int8 compete too.
    """
    onnx_path = Path(request["onnx_path"])
    scorer = DetoxifyScorer(checkpoint=Path(request["checkpoint"]),
                            config_dir=Path(request["config_dir"]), quantize=False,
                            runtime="torch", threads=request["threads"],
                            max_length=request["max_length"])
    loaded = scorer.load()
    tokenizer, length = loaded.tokenizer, request["max_length"]
    if not onnx_path.is_file():
        staging = onnx_path.with_name(f".{onnx_path.stem}-unfused.onnx")
        export_fp32(loaded.model, tokenizer, staging)
        fuse_bert(staging, Path(request["config_dir"]))
        os.replace(staging, onnx_path)
    candidates = {("onnx", "fp32"): onnx_path}
    if request["quantize"] in (True, "auto"):
        quantize_int8(onnx_path, int8_path_of(onnx_path), tuple(request["keep_fp32"]))
        candidates[("onnx", "int8")] = int8_path_of(onnx_path)
    use = request.get("use") or "posts"
    with_torch = request["runtime"] != "onnx"
    timings = {}
    if request["quantize"] is True and (use == "posts" or not with_torch):
        chosen = ("onnx", "int8")  # fixed, so the scores do not depend on a timing
    else:
        for candidate, path in candidates.items():
            if request["quantize"] is True and candidate[1] == "fp32":
                continue
            module = OnnxModule(path, request["threads"])
            timings[candidate] = _time_candidate(candidate, _onnx_runs(module, tokenizer,
                                                                       length), use)
        if with_torch:
            if request["quantize"] is not True:
                timings[("torch", "fp32")] = _time_candidate(
                    ("torch", "fp32"), _torch_runs(loaded.model, tokenizer, length), use)
            if use == "batches" and request["quantize"] in (True, "auto"):
                # PyTorch's int8 kernels can win large batches where ONNX Runtime wins
                # small ones; quantized in place, as this child exits afterwards.
                module = quantize_torch_int8(loaded.model, tuple(request["keep_fp32"]))
                timings[("torch", "int8")] = _time_candidate(
                    ("torch", "int8"), _torch_runs(module, tokenizer, length), use)
        fp32 = {key: value for key, value in timings.items() if key[1] == "fp32"}
        int8 = {key: value for key, value in timings.items() if key[1] == "int8"}
        chosen = min(fp32, key=fp32.get) if fp32 else min(int8, key=int8.get)
        if int8 and fp32:
            fastest_int8 = min(int8, key=int8.get)
            if int8[fastest_int8] < fp32[chosen] * INT8_MARGIN:
                chosen = fastest_int8
    choice = {
        "runtime": chosen[0], "precision": chosen[1],
        "path": str(candidates[chosen]) if chosen[0] == "onnx" else None,
        "config_dir": request["config_dir"], "tokenizer": type(tokenizer).__name__,
        "class_names": list(loaded.class_names),
        "ms_per_comment": {f"{runtime} {precision}": round(seconds * 1000, 3)
                           for (runtime, precision), seconds in timings.items()},
        "cpu": cpu_signature(),
    }
    atomic_write(choice_path(request), lambda path: path.write_text(json.dumps(choice, indent=2)))
    return choice


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    print(json.dumps(prepare(json.loads(sys.argv[1]))))
