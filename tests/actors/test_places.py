"""The place table for NER-tagged places: built once into the cache, then read from it."""

import pickle
from pathlib import Path

from khabar.actors.places import Gazetteer, _key


def test_it_is_built_into_the_cache_and_read_back(tmp_path: Path) -> None:
    built = Gazetteer(tmp_path)
    files = list((tmp_path / "actors").glob("places-*.pickle"))
    assert len(files) == 1
    read = Gazetteer(tmp_path)
    assert len(read) == len(built) > 10_000
    kandahar = read.find("Kandahar")
    assert kandahar is not None and kandahar.country == "AFG"
    borno = read.find("Borno State")
    assert borno is not None and borno.country == "NGA"


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    Gazetteer(tmp_path)
    (path,) = (tmp_path / "actors").glob("places-*.pickle")
    path.write_bytes(b"not a pickle")
    again = Gazetteer(tmp_path)
    assert again.find("Kandahar") is not None
    with path.open("rb") as f:
        assert len(pickle.load(f)) == len(again)


def test_keys_fold_case_accents_and_a_leading_article() -> None:
    assert _key("The Hague") == "hague"
    assert _key("Kunaṟ") == _key("kunar")
    assert _key("  Kabul ") == "kabul"
