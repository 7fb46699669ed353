"""The article's language, detected from its clean text (py3langid: its model ships in the wheel).

A page's own declaration (``<html lang>``, as the cleaning stage read it) is often a site-wide
template value; the text itself is better evidence once there is enough of it. The detected
language wins when the detector is sure; otherwise the declaration stands, and both are kept.
"""

from __future__ import annotations

import functools
import logging
import lzma
import shutil
import tempfile
from array import array
from pathlib import Path
from typing import Any

import numpy as np
from py3langid import langid

from khabar.core.article import Article, Evidence
from khabar.core.cache import cache_root, package_version, staged_folder
from khabar.core.registry import Stage, stages

log = logging.getLogger(__name__)

METHOD = "py3langid"
SAMPLE_CHARS = 5000  # the detector is linear; a few thousand characters decide it
MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


@stages.register("nlp.language.v1", requires={"text"}, assigns={"language"})
def make_language(min_confidence: float = 0.9, min_chars: int = 40) -> Stage:
    """The language of the clean text (ISO 639-1), from a model that ships in its package."""
    identifier = load_identifier()

    def detect(article: Article) -> Article:
        sample = article.text[:SAMPLE_CHARS]
        if len(sample.strip()) < min_chars:
            return article
        code, probability = identifier.classify(sample)
        declared = article.accepted("language")
        sure = probability >= min_confidence
        if declared is not None and str(declared.value).lower().split("-")[0] == code:
            return article  # they agree: the declaration, with its evidence, stands
        article.claim(
            "language",
            code,
            method=METHOD,
            confidence=round(float(probability), 3),
            evidence=Evidence.text_span(0, len(sample)),
            accepted=sure or declared is None,
            note=None
            if sure or declared is None
            else f"not sure enough to overrule {declared.method}",
        )
        return article

    return detect


@functools.cache
def load_identifier() -> Any:
    """py3langid's identifier, from an unpacked copy of its model in khabar's cache.

    The wheel ships the model LZMA-compressed: unpacking it costs every process half a second,
    and each worker of a run pays it. Unpacked once into the cache, the arrays load in a few
    hundredths of a second, and the largest (the per-feature probabilities) is mapped from the
    file, so the workers share its pages. Anything unexpected falls back to py3langid's loader."""
    folder = cache_root() / "langid" / f"model-{package_version('py3langid')}"
    try:
        if not (folder / "done").is_file():
            _unpack(Path(langid.MODEL_DIR) / langid.MODEL_FILE, folder)
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in MODEL_ARRAYS}
        return langid.LanguageIdentifier(
            arrays["ptc"],
            np.asarray(arrays["pc"]),
            arrays["classes"].tolist(),
            _flat(arrays["nextmove"]),
            arrays["out_feat"].tolist(),
            norm_probs=True,
            tk_row=_flat(arrays["nextmove_row"]),
        )
    except Exception as exc:  # noqa: BLE001 - a changed model layout must not stop a run
        log.info("language model not loaded from the cache (%s); unpacking it in memory", exc)
        return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def _unpack(model: Path, folder: Path) -> None:
    """The model's arrays as ``.npy`` files, built beside ``folder`` and renamed into place."""
    with staged_folder(folder) as staging, tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(model) as src:
            shutil.copyfileobj(src, tmp, length=1 << 20)
        tmp.seek(0)
        with np.load(tmp, allow_pickle=False) as data:
            for name in MODEL_ARRAYS:
                np.save(staging / f"{name}.npy", data[name], allow_pickle=False)
        (staging / "done").touch()


def _flat(values: np.ndarray[Any, Any]) -> array[int]:
    """An unsigned array as the stdlib array py3langid's tokenizer indexes element by element
    (faster there than NumPy's per-item access)."""
    codes = {2: "H", 4: "I", 8: "L" if array("L").itemsize == 8 else "Q"}
    out = array(codes[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out
