from pathlib import Path

import pytest

from khabar.core.cache import cache_root, package_version, staged_folder


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


def test_a_staged_folder_replaces_a_damaged_copy_only_when_complete(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "half").write_text("damaged")
    with pytest.raises(RuntimeError), staged_folder(folder) as staging:
        (staging / "new").write_text("partial")
        raise RuntimeError("the build failed")
    assert [p.name for p in folder.iterdir()] == ["half"]  # untouched
    with staged_folder(folder) as staging:
        (staging / "new").write_text("complete")
    assert [p.name for p in folder.iterdir()] == ["new"]
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no staging folder left behind
