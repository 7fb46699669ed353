"""One gazetteer for the whole test session: building it takes about half a minute."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.core.article import Article, Entity
from khabar.geo.gazetteer import Gazetteer, load_or_build
from khabar.geo.stage import PlaceFinder


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("khabar-cache")


@pytest.fixture(scope="session")
def gazetteer(cache_dir: Path) -> Gazetteer:
    return load_or_build(500, cache_dir)


@pytest.fixture(scope="session")
def finder(gazetteer: Gazetteer) -> PlaceFinder:
    return PlaceFinder(gazetteer, min_confidence=0.0)


def article(text: str, entities: list[Entity] | None = None) -> Article:
    made = Article.from_text(text)
    made.text = text
    made.entities = entities or []
    return made
