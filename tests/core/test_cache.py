from pathlib import Path

import pytest

from khabar.core.cache import cache_root, package_version


def test_cache_root_honours_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KHABAR_CACHE_DIR", str(tmp_path))
    assert cache_root() == tmp_path
    monkeypatch.delenv("KHABAR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "khabar"


def test_a_missing_package_has_a_version_for_the_cache_key() -> None:
    assert package_version("no-such-package-khabar-test") == "absent"
    assert package_version("numpy") != "absent"
