"""Detoxify as a Scorer: lazy, thread-safe, batched, and loadable offline."""

from __future__ import annotations

import io
import logging
import os
import threading
import warnings
from pathlib import Path

import numpy as np

from moderation.scoring.base import LABELS, ScorerUnavailable
from moderation.scoring.joined import load_splitter, split_joined_words
from moderation.scoring.length_groups import group_by_length, padded
from moderation.scoring.onnx_runtime import OnnxDetoxify, prepared, runtime_available

# torch, transformers and detoxify load inside the functions that use them: the web
# process imports this module at start and loads the model only on first use.

# Detoxify's own published checkpoints; it downloads them where a network exists.
log = logging.getLogger(__name__)

OFFICIAL_MODELS = ("original", "unbiased", "multilingual", "original-small", "unbiased-small")
OFFICIAL_LANGUAGES = {
    "multilingual": frozenset({"en", "fr", "es", "it", "pt", "tr", "ru"}),
}


def _quiet_transformers() -> None:
    """Turn off hub traffic and progress bars before transformers is imported."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def localise_checkpoint(checkpoint: Path, config_dir: Path) -> io.BytesIO | Path:
    """Return the checkpoint with model_type pointed at the local config folder.

    Detoxify calls ``config_class.from_pretrained(model_type)`` even when a local
    config path is given, so a checkpoint naming a hub model fails offline.
    """
    import torch

    # Memory-mapped: reading the config must not hold a second copy of the weights.
    loaded = torch.load(checkpoint, map_location="cpu", weights_only=False, mmap=True)
    if "config" not in loaded or "state_dict" not in loaded:
        raise ScorerUnavailable(f"{checkpoint} is not a Detoxify checkpoint (no config/state_dict)")
    if loaded["config"]["arch"]["args"].get("model_type") == str(config_dir):
        return checkpoint  # already local (the bundled assembly): no rewritten copy needed
    loaded["config"]["arch"]["args"]["model_type"] = str(config_dir)
    buffer = io.BytesIO()
    torch.save(loaded, buffer)
    buffer.seek(0)
    return buffer


def quantize_int8(module, keep_fp32: tuple[str, ...] = ()):
    """Quantize module's Linear layers, except those named, to int8 in place; return it.

    torch marks torch.ao.quantization deprecated but ships no CPU replacement
    in core; the warnings are silenced so warning-as-error test runs still load.
    """
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        if not keep_fp32:
            spec = {torch.nn.Linear}
        else:
            spec = {
                name
                for name, child in module.named_modules()
                if isinstance(child, torch.nn.Linear) and name not in keep_fp32
            }
        # In place: a quantized copy beside the fp32 model would double the load's peak.
        return torch.ao.quantization.quantize_dynamic(module, spec, dtype=torch.qint8,
                                                      inplace=True)


# A probe batch like real traffic: int8 wins on some CPUs and loses on others (fbgemm's
# kernels need VNNI to beat fp32's), and only a timing on this machine can tell.
PROBE_TEXT = ("The council voted on the new budget last night, and several readers wrote in "
              "to say the cuts to the library and the bus routes will hurt their neighbourhood.")
PROBE_BATCH = 16
PROBE_REPEATS = 3
# int8 must be this much faster to be chosen: a tie keeps fp32's exact scores.
INT8_MARGIN = 0.9


def _best_time(module, inputs) -> float:
    """Return the fastest of PROBE_REPEATS forward passes, after one warm-up."""
    import time

    import torch

    with torch.inference_mode():
        module(**inputs)
        timings = []
        for _ in range(PROBE_REPEATS):
            started = time.perf_counter()
            module(**inputs)
            timings.append(time.perf_counter() - started)
    return min(timings)


def choose_precision(module, tokenizer, keep_fp32: tuple[str, ...], max_length: int
                     ) -> tuple[object, str, bool]:
    """Time module in fp32, then quantized in place; return (module, precision, kept).

    kept is False when int8 lost: the module is int8 by then and the caller must load
    fp32 again (only on CPUs where int8 is slower, so most loads pay nothing).
    """
    inputs = tokenizer([PROBE_TEXT] * PROBE_BATCH, return_tensors="pt", truncation=True,
                       max_length=max_length, padding=True)
    fp32_seconds = _best_time(module, inputs)
    quantized = quantize_int8(module, keep_fp32)
    int8_seconds = _best_time(quantized, inputs)
    log.info("precision probe: fp32 %.1f ms, int8 %.1f ms per %d comments",
             fp32_seconds * 1000, int8_seconds * 1000, PROBE_BATCH)
    if int8_seconds < fp32_seconds * INT8_MARGIN:
        return quantized, "int8", True
    return None, "fp32", False


class DetoxifyScorer:
    """Score texts with a Detoxify model, loading it on first use."""

    def __init__(
        self,
        *,
        model_type: str | None = None,
        checkpoint: Path | None = None,
        config_dir: Path | None = None,
        model_id: str | None = None,
        languages: frozenset[str] = frozenset({"en"}),
        batch_size: int = 32,
        max_length: int = 256,
        quantize: bool | str = False,  # True, False or "auto": the faster, measured at load
        keep_fp32: tuple[str, ...] = (),
        threads: int | None = None,
        split_joined: bool = False,
        onnx_path: Path | None = None,
        runtime: str = "auto",  # "torch", "onnx" or "auto": the faster, measured at load
        use: str = "posts",  # what the process scores: "posts" or "batches" (the probe)
    ) -> None:
        if checkpoint is None and model_type not in OFFICIAL_MODELS:
            raise ValueError(f"unknown Detoxify model {model_type!r}; use one of {OFFICIAL_MODELS}")
        if checkpoint is not None and config_dir is None:
            raise ValueError("a local checkpoint needs the folder of its Hugging Face config")
        self.model_type = model_type
        self.checkpoint = Path(checkpoint) if checkpoint else None
        self.config_dir = Path(config_dir) if config_dir else None
        default_id = self.checkpoint.stem if self.checkpoint else f"detoxify-{model_type}"
        self.model_id = model_id or default_id
        self.languages = OFFICIAL_LANGUAGES.get(model_type or "", languages)
        self.batch_size = batch_size
        self.max_length = max_length
        self.quantize = quantize
        self.precision = "fp32"
        # Where the model's ONNX export is kept (its int8 copy beside it); None: torch only.
        self.onnx_path = Path(onnx_path) if onnx_path else None
        if runtime not in ("auto", "torch", "onnx"):
            raise ValueError(f"unknown runtime {runtime!r}; use auto, torch or onnx")
        self.runtime_choice = runtime
        if use not in ("posts", "batches"):
            raise ValueError(f"unknown use {use!r}; use posts or batches")
        self.use = use
        self.runtime = "torch"
        self.keep_fp32 = keep_fp32
        self.threads = threads
        # Words run together are split for an English word-piece model (scoring/joined.py).
        self.split_joined = split_joined
        self._model = None
        self._load_lock = threading.Lock()
        # torch modules are not re-entrant under concurrent forward passes on one
        # thread pool; one lock keeps threaded gunicorn workers safe.
        self._predict_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Tell whether the model is already in memory."""
        return self._model is not None

    def load(self):
        """Load the model once per process and return it."""
        if self._model is not None:
            return self._model
        with self._load_lock:
            if self._model is None:
                self._model = self._build()
        return self._model

    def _build(self):
        _quiet_transformers()
        choice = None
        if (self.onnx_path is not None and self.checkpoint is not None
                and self.runtime_choice != "torch" and runtime_available()):
            try:
                choice = prepared(self._onnx_request())
            except Exception as exc:  # an export this torch cannot write: torch serves
                log.warning("ONNX Runtime not used for %s: %s", self.model_id, exc)
            if choice is not None and choice["runtime"] == "onnx":
                self.runtime, self.precision = "onnx", choice["precision"]
                # No torch model in this process: the tokenizer and the export serve.
                return self._finish(OnnxDetoxify(choice, self.threads))
        quantize = self.quantize
        if choice is not None:  # torch won the probe, at this precision
            quantize = choice["precision"] == "int8"
        import torch
        import transformers
        from detoxify import Detoxify

        transformers.utils.logging.disable_progress_bar()
        if self.threads:
            torch.set_num_threads(self.threads)
        model = self._load_detoxify(Detoxify)
        if quantize == "auto":
            quantized, self.precision, kept = choose_precision(
                model.model, model.tokenizer, self.keep_fp32, self.max_length
            )
            model = self._load_detoxify(Detoxify) if not kept else model
            if kept:
                model.model = quantized
        elif quantize:
            model.model, self.precision = quantize_int8(model.model, self.keep_fp32), "int8"
        return self._finish(model)

    def _finish(self, model):
        """Index the model's labels and load the word splitter; return the model."""
        unknown = [name for name in model.class_names if name not in LABELS]
        model.label_index = [(i, n) for i, n in enumerate(model.class_names) if n in LABELS]
        # Built once: get_vocab() copies the whole vocabulary on every call.
        model.whole_words = frozenset(model.tokenizer.get_vocab()) if self.split_joined else None
        if self.split_joined:
            load_splitter()  # its word list loads here, not on the first run-together comment
        if unknown and len(unknown) == len(model.class_names):
            raise ScorerUnavailable(f"model {self.model_id} has none of the labels {LABELS}")
        return model

    def _onnx_request(self) -> dict:
        """Return what the export and its runtime probe need to know (onnx_runtime.prepare)."""
        return {"checkpoint": str(self.checkpoint), "config_dir": str(self.config_dir),
                "onnx_path": str(self.onnx_path), "quantize": self.quantize,
                "keep_fp32": list(self.keep_fp32), "max_length": self.max_length,
                "threads": self.threads, "runtime": self.runtime_choice, "use": self.use}

    def _load_detoxify(self, detoxify):
        """Return a fresh Detoxify model in eval mode, fp32."""
        try:
            if self.checkpoint is not None:
                model = detoxify(
                    checkpoint=localise_checkpoint(self.checkpoint, self.config_dir),
                    huggingface_config_path=str(self.config_dir),
                )
            else:
                model = detoxify(model_type=self.model_type)
        except ScorerUnavailable:
            raise
        except Exception as exc:  # the loader raises anything from OSError to KeyError
            raise ScorerUnavailable(f"could not load model {self.model_id}: {exc}") from exc
        model.model.eval()
        return model

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        """Score texts in batches; one dict of label -> probability per text."""
        if not texts:
            return []
        model = self.load()
        if model.whole_words is not None:
            texts = [split_joined_words(text, model.whole_words) for text in texts]
        results: list[dict[str, float]] = [{} for _ in texts]
        with self._predict_lock:
            # Tokenized once, then cut into calls of similar length, so short comments are
            # not padded to the longest one in a mixed batch; results go back in order.
            encoded = dict(model.tokenizer(texts, truncation=True, max_length=self.max_length))
            groups = group_by_length([len(ids) for ids in encoded["input_ids"]],
                                     self.batch_size)
            left = model.tokenizer.padding_side == "left"
            for group in groups:
                inputs = padded(encoded, group, model.tokenizer.pad_token_id or 0, left)
                # The logistic function in a form that cannot overflow for large logits.
                probs = (0.5 * (1.0 + np.tanh(0.5 * self._logits(model, inputs)))).tolist()
                for position, row in zip(group, probs, strict=True):
                    results[position] = {name: float(row[i]) for i, name in model.label_index}
        return results

    def _logits(self, model, inputs: dict):
        """Return the model's logits for padded token arrays, as a numpy array."""
        if self.runtime == "onnx":
            return model.model.run(inputs)
        import torch

        with torch.inference_mode():
            tensors = {name: torch.from_numpy(array) for name, array in inputs.items()}
            return model.model(**tensors)[0].float().numpy()
