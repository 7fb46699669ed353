"""Configuration as data: a TOML file, layered and checked before any article runs.

Layers, later wins: the packaged default (``khabar/data/default.toml``) < a packaged profile
(``--profile fast``, or ``KHABAR_PROFILE``: ``khabar/data/profiles/NAME.toml``) < a user file
(``--config``, or ``KHABAR_CONFIG``) < environment variables (``KHABAR_SECTION__KEY``) < command-
line overrides (``--set section.key=value``). Every value remembers the layer it came from, so
an error can say where to fix it.
"""

from __future__ import annotations

import difflib
import inspect
import os
import tomllib
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from khabar.core.errors import ConfigError, RegistryError
from khabar.core.registry import Kind, Registered, import_modules, sources, stages, steps

ENV_PREFIX = "KHABAR_"
ENV_CONFIG_FILE = "KHABAR_CONFIG"
ENV_PROFILE = "KHABAR_PROFILE"
PART_SECTIONS: dict[str, Kind] = {"sources": "source", "stages": "stage", "steps": "step"}


class RunSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    db: str
    jobs: int = Field(ge=0)
    batch_size: int = Field(ge=1)
    strict: bool
    engine: Literal["local", "ray"]
    address: str
    ray_batch_size: int = Field(ge=1)


class PipelineSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sources: list[str]
    stages: list[str]
    steps: list[str]
    plugins: list[str]
    article_timeout_s: float = Field(ge=0)
    batch_articles: int = Field(default=8, ge=1)


class ApiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    host: str
    port: int = Field(ge=0, le=65535)
    keys: list[str]
    page_size: int = Field(ge=1)
    max_page_size: int = Field(ge=1, le=1000)
    query_timeout_s: float = Field(gt=0)
    max_body_bytes: int = Field(ge=1)


class FusionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool
    link: float = Field(gt=0, le=1.5)
    cross_type_words: float = Field(ge=0, le=1)
    story_similarity: float = Field(gt=0, le=1)
    story_days: int = Field(ge=0)


@dataclass(frozen=True)
class Part:
    """One configured source, stage or step: its instance name, factory and settings."""

    kind: Kind
    name: str
    registered: Registered
    settings: dict[str, Any]

    def build(self) -> Any:
        return self.registered.factory(**self.settings)


@dataclass
class Config:
    """The merged configuration, with the origin of every value."""

    data: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)
    profile: str = "default"

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        env: Mapping[str, str] | None = None,
        overrides: Iterable[str] = (),
        values: Mapping[str, Any] | None = None,
        profile: str | None = None,
    ) -> Config:
        """Merge the layers. ``values`` is a nested dict applied last (for library callers)."""
        env = os.environ if env is None else env
        config = cls({})
        config._merge(default_data(), "the packaged default")
        profile = profile or env.get(ENV_PROFILE) or None
        if profile is not None:
            config._merge(profile_data(profile), f"the packaged profile {profile!r}")
            config.profile = profile
        path = path or env.get(ENV_CONFIG_FILE) or None
        if path is not None:
            config._merge(read_toml(Path(path)), f"config file {path}")
        for name, value in sorted(env.items()):
            # Settings are at least section.key, so KHABAR_SECTION__KEY: other KHABAR_
            # variables (KHABAR_CONFIG, KHABAR_CACHE_DIR) are not settings.
            if name.startswith(ENV_PREFIX) and "__" in name:
                keys = name[len(ENV_PREFIX) :].lower().split("__")
                config._merge(_nest(keys, parse_value(value)), f"environment variable {name}")
        for item in overrides:
            dotted, sep, raw = item.partition("=")
            if not sep or not dotted.strip():
                raise ConfigError(f"override {item!r} is not of the form section.key=value")
            config._merge(
                _nest(dotted.strip().split("."), parse_value(raw.strip())), f"--set {item}"
            )
        if values:
            config._merge(dict(values), "the caller's values")
        config.validate()
        return config

    def _merge(
        self,
        layer: Mapping[str, Any],
        origin: str,
        target: dict[str, Any] | None = None,
        prefix: str = "",
    ) -> None:
        target = self.data if target is None else target
        for key, value in layer.items():
            dotted = f"{prefix}{key}"
            if isinstance(value, Mapping) and isinstance(target.get(key), dict):
                self._merge(value, origin, target[key], f"{dotted}.")
            else:
                target[key] = _plain(value)
                self.origins[dotted] = origin

    def origin(self, dotted: str) -> str:
        while dotted:
            if dotted in self.origins:
                return self.origins[dotted]
            dotted = dotted.rpartition(".")[0]
        return "the packaged default"

    # -- typed views --------------------------------------------------------------------------
    @property
    def run(self) -> RunSettings:
        return RunSettings.model_validate(self.data.get("run", {}))

    @property
    def pipeline(self) -> PipelineSettings:
        return PipelineSettings.model_validate(self.data.get("pipeline", {}))

    @property
    def api(self) -> ApiSettings:
        return ApiSettings.model_validate(self.data.get("api", {}))

    @property
    def fusion(self) -> FusionSettings:
        return FusionSettings.model_validate(self.data.get("fusion", {}))

    def parts(self, kind: Kind) -> list[Part]:
        section = _section_of(kind)
        names = getattr(self.pipeline, section)
        return [self.part(kind, name) for name in names]

    def part(self, kind: Kind, name: str) -> Part:
        section = _section_of(kind)
        table = dict(self.data.get(section, {}).get(name, {}))
        factory = table.pop("factory", name)
        registry = {"source": sources, "stage": stages, "step": steps}[kind]
        try:
            registered = registry.get(str(factory))
        except RegistryError as exc:
            raise ConfigError(
                f"{section}.{name}: {exc} (set in {self.origin(f'{section}.{name}')})"
            ) from None
        settings = check_settings(registered, table, where=f"{section}.{name}", config=self)
        return Part(kind, name, registered, settings)

    def validate(self) -> None:
        """Check every section and every configured part, raising ``ConfigError`` on the first."""
        known = {"run", "pipeline", "api", "fusion", *PART_SECTIONS}
        for key in self.data:
            if key not in known:
                raise ConfigError(
                    f"unknown config section {key!r} (from {self.origin(key)}). "
                    f"Sections: {', '.join(sorted(known))}.{_did_you_mean(key, known)}"
                )
        typed: tuple[tuple[str, type[BaseModel]], ...] = (
            ("run", RunSettings),
            ("pipeline", PipelineSettings),
            ("api", ApiSettings),
            ("fusion", FusionSettings),
        )
        for section, model in typed:
            try:
                model.model_validate(self.data.get(section, {}))
            except ValidationError as exc:
                raise ConfigError(_explain(exc, section, self)) from None
        try:
            import_modules(self.pipeline.plugins)
        except RegistryError as exc:
            raise ConfigError(str(exc)) from None
        for kind in PART_SECTIONS.values():
            self.parts(kind)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self.data)  # type: ignore[no-any-return]


def default_data() -> dict[str, Any]:
    text = resources.files("khabar").joinpath("data/default.toml").read_text("utf-8")
    return tomllib.loads(text)


def profiles() -> list[str]:
    """The packaged profiles' names (``khabar/data/profiles/*.toml``)."""
    folder = resources.files("khabar").joinpath("data/profiles")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def profile_data(name: str) -> dict[str, Any]:
    """A packaged profile's settings: a configuration layer over the packaged default."""
    if name not in profiles():
        raise ConfigError(
            f"there is no profile {name!r}; the packaged profiles are {', '.join(profiles())} "
            "(or give your own settings with --config FILE)"
        )
    text = resources.files("khabar").joinpath(f"data/profiles/{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def read_toml(
    path: Path, error: type[Exception] = ConfigError, what: str = "config file"
) -> dict[str, Any]:
    """A TOML file's data; any problem is an ``error`` that names the ``what`` and its path."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise error(f"{what} {path} does not exist; check the path") from None
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{what} {path} is not valid TOML: {exc}") from None


def parse_value(raw: str) -> Any:
    """A value from the environment or the command line: a TOML literal, else a plain string."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def check_settings(
    registered: Registered, table: Mapping[str, Any], *, where: str, config: Config | None = None
) -> dict[str, Any]:
    """Validate a part's settings against its factory's signature; return them typed."""
    params = factory_parameters(registered.factory)
    for key in table:
        if key not in params:
            origin = f" (from {config.origin(f'{where}.{key}')})" if config else ""
            raise ConfigError(
                f"{where}: {registered.name} has no setting {key!r}{origin}. Its settings: "
                f"{', '.join(params) or 'none'}.{_did_you_mean(key, params)}"
            )
    fields: dict[str, Any] = {name: (ann, ...) for name, (ann, _) in params.items()}
    model = create_model(
        f"Settings_{registered.name}", __config__=ConfigDict(extra="forbid"), **fields
    )
    values = {name: table.get(name, default) for name, (_, default) in params.items()}
    try:
        checked = model.model_validate(values)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, where, config)) from None
    return {name: getattr(checked, name) for name in params}


def factory_parameters(factory: Callable[..., Any]) -> dict[str, tuple[Any, Any]]:
    """``{name: (annotation, default)}`` for a factory's keyword settings."""
    hints = typing.get_type_hints(factory)
    params: dict[str, tuple[Any, Any]] = {}
    for name, param in inspect.signature(factory).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.default is param.empty:
            raise RegistryError(f"factory {factory!r} setting {name!r} needs a default value")
        params[name] = (hints.get(name, Any), param.default)
    return params


def _explain(exc: ValidationError, where: str, config: Config | None) -> str:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"])
    dotted = f"{where}.{key}" if key else where
    origin = f" (from {config.origin(dotted)})" if config else ""
    value = first.get("input")
    return f"setting {dotted} = {value!r} is invalid: {first['msg']}{origin}"


def _section_of(kind: Kind) -> Literal["sources", "stages", "steps"]:
    return {"source": "sources", "stage": "stages", "step": "steps"}[kind]  # type: ignore[return-value]


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def _nest(keys: list[str], value: Any) -> dict[str, Any]:
    nested: Any = value
    for key in reversed(keys):
        nested = {key: nested}
    return nested  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
