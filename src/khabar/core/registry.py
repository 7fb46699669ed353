"""Registries of sources, stages and steps, each under a versioned name (``nlp.sentences.v1``).

Built-in parts register exactly like third-party ones: with a decorator, in a module that is
imported when the registry is first asked for a name. Third-party packages declare their modules
under the ``khabar.plugins`` entry-point group; a config can also name modules to import
(``pipeline.plugins``).
"""

from __future__ import annotations

import difflib
import importlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Literal, Protocol, TypeVar

from khabar.core.article import Article, SkippedInput, Unchanged
from khabar.core.errors import RegistryError
from khabar.core.lookup import ArticleLookup, ReadContext

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "khabar.plugins"
BUILTIN_MODULES = ("khabar.builtins",)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.v[0-9]+$")

Kind = Literal["source", "stage", "step"]
ARTICLE_FIELDS = frozenset(Article.model_fields) | frozenset(Article.model_computed_fields)
F = TypeVar("F", bound=Callable[..., Any])


class Stage(Protocol):
    """``Article -> Article``. May raise ``DropArticle``; never touches the store."""

    def __call__(self, article: Article, /) -> Article: ...


class Source(Protocol):
    """Turns one input spec (a path, ``-`` for stdin, a URL, a feed...) into articles.

    ``read`` yields an ``Article`` per input found, a ``SkippedInput`` (with its reason) for an
    input that cannot become one, or ``Unchanged`` for one the context says is already stored.
    """

    def accepts(self, spec: str) -> bool: ...

    def read(
        self, spec: str, context: ReadContext, /
    ) -> Iterator[Article | SkippedInput | Unchanged]: ...


class Step(Protocol):
    """Looks across articles (through the lookup) and may mark the article, e.g. as a duplicate."""

    def __call__(self, article: Article, lookup: ArticleLookup, /) -> Article: ...


@dataclass(frozen=True)
class Registered:
    kind: Kind
    name: str
    factory: Callable[..., Any]
    requires: frozenset[str] = frozenset()
    assigns: frozenset[str] = frozenset()

    @property
    def module(self) -> str:
        return str(getattr(self.factory, "__module__", "?"))

    @property
    def summary(self) -> str:
        doc = (self.factory.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""


@dataclass
class Registry:
    kind: Kind
    _items: dict[str, Registered] = field(default_factory=dict)

    def register(
        self, name: str, *, requires: Iterable[str] = (), assigns: Iterable[str] = ()
    ) -> Callable[[F], F]:
        """Decorate a factory: ``factory(**settings)`` returns the source, stage or step."""
        if not NAME_PATTERN.match(name):
            raise RegistryError(
                f"{self.kind} name {name!r} is not a versioned name like 'area.thing.v1' "
                "(lower case, dots, ending in .v<number>)"
            )

        unknown = sorted((set(requires) | set(assigns)) - ARTICLE_FIELDS)
        if unknown:
            raise RegistryError(
                f"{self.kind} {name!r} declares {', '.join(map(repr, unknown))}, which "
                f"{'is not an Article field' if len(unknown) == 1 else 'are not Article fields'}; "
                f"fields: {', '.join(sorted(ARTICLE_FIELDS))}"
            )

        def decorate(factory: F) -> F:
            old = self._items.get(name)
            if old is not None and _qualname(old.factory) != _qualname(factory):
                raise RegistryError(
                    f"{self.kind} {name!r} is registered twice: by {_qualname(old.factory)} and "
                    f"by {_qualname(factory)}; give the new one another name or version"
                )
            self._items[name] = Registered(
                self.kind, name, factory, frozenset(requires), frozenset(assigns)
            )
            return factory

        return decorate

    def get(self, name: str) -> Registered:
        load_plugins()
        try:
            return self._items[name]
        except KeyError:
            raise RegistryError(self._unknown(name)) from None

    def __contains__(self, name: object) -> bool:
        load_plugins()
        return name in self._items

    def all(self) -> list[Registered]:
        load_plugins()
        return [self._items[k] for k in sorted(self._items)]

    def _unknown(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self._items), n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        failed = f" (plugins that failed to load: {', '.join(_failed)})" if _failed else ""
        return (
            f"unknown {self.kind} {name!r}.{hint} Registered {self.kind}s: "
            f"{', '.join(sorted(self._items)) or 'none'}{failed}. Run `khabar stages` to list them."
        )


def _qualname(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"


sources = Registry("source")
stages = Registry("stage")
steps = Registry("step")

_loaded = False
_failed: dict[str, str] = {}


def load_plugins() -> None:
    """Import the built-in parts and every ``khabar.plugins`` entry point, once."""
    global _loaded  # noqa: PLW0603 - a process-wide, load-once cache
    if _loaded:
        return
    _loaded = True
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            ep.load()
        except Exception as exc:  # noqa: BLE001 - one broken plugin must not stop the others
            _failed[ep.name] = f"{type(exc).__name__}: {exc}"
            log.warning("khabar plugin %r (%s) failed to load: %s", ep.name, ep.value, exc)


def import_modules(names: Iterable[str]) -> None:
    """Import the modules a config names in ``pipeline.plugins`` (they register on import)."""
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise RegistryError(
                f"cannot import plugin module {name!r} named in pipeline.plugins: {exc}. "
                "Check the name and that the module is on PYTHONPATH."
            ) from exc
