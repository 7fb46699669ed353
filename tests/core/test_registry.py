import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from khabar import RegistryError, stages
from khabar.core import registry as registry_module
from khabar.core.registry import Registry


def test_registered_stages_declare_what_they_require_and_assign() -> None:
    sentences = stages.get("nlp.sentences.v1")
    assert sentences.requires == {"text"}
    assert sentences.assigns == {"sentences"}
    assert sentences.summary.startswith("Sentence spans")


def test_an_unknown_name_suggests_the_close_ones() -> None:
    with pytest.raises(
        RegistryError, match=r"unknown stage 'nlp.sentence.v1'\. Did you mean 'nlp.sentences.v1'"
    ):
        stages.get("nlp.sentence.v1")


@pytest.mark.parametrize(
    "name", ["Sentences", "nlp.sentences", "nlp sentences.v1", "nlp.sentences.v"]
)
def test_names_must_be_versioned(name: str) -> None:
    with pytest.raises(RegistryError, match="versioned name"):
        Registry("stage").register(name)


def test_a_name_cannot_be_taken_twice() -> None:
    def first() -> None: ...

    def second() -> None: ...

    reg = Registry("stage")
    reg.register("test.one.v1")(first)
    reg.register("test.one.v1")(first)  # the same factory again (a reload) is fine
    with pytest.raises(RegistryError, match="registered twice"):
        reg.register("test.one.v1")(second)


def test_declared_fields_must_be_article_fields() -> None:
    with pytest.raises(RegistryError, match="'txt', which is not an Article field"):
        Registry("stage").register("test.bad.v1", requires={"txt"})


def test_third_party_plugins_register_through_entry_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "khabar_test_plugin.py").write_text(
        "from khabar import stages\n"
        "@stages.register('thirdparty.shout.v1', requires={'text'}, assigns={'text'})\n"
        "def make_shout():\n"
        "    '''Upper-case the text.'''\n"
        "    def shout(article):\n"
        "        article.text = article.text.upper()\n"
        "        return article\n"
        "    return shout\n"
    )
    (tmp_path / "khabar_broken_plugin.py").write_text("raise RuntimeError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    group = registry_module.ENTRY_POINT_GROUP
    found = [
        EntryPoint(name="shout", value="khabar_test_plugin", group=group),
        EntryPoint(name="broken", value="khabar_broken_plugin", group=group),
    ]
    monkeypatch.setattr(registry_module, "entry_points", lambda group: found)
    monkeypatch.setattr(registry_module, "_loaded", False)
    monkeypatch.setattr(registry_module, "_failed", {})
    try:
        assert stages.get("thirdparty.shout.v1").summary == "Upper-case the text."
        with pytest.raises(RegistryError, match=r"plugins that failed to load: broken"):
            stages.get("thirdparty.missing.v1")
    finally:
        stages._items.pop("thirdparty.shout.v1", None)
        sys.modules.pop("khabar_test_plugin", None)


def test_a_fresh_process_registers_every_part_the_default_config_names() -> None:
    """Built-ins must register through khabar.builtins alone (worker processes rely on it)."""
    import json
    import subprocess

    from khabar.core.config import default_data

    code = (
        "import json; from khabar.core.registry import sources, stages, steps; "
        "print(json.dumps([r.name for reg in (sources, stages, steps) for r in reg.all()]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    registered = set(json.loads(done.stdout))
    named = {
        t["factory"]
        for kind in ("sources", "stages", "steps")
        for t in default_data()[kind].values()
    }
    assert named <= registered, f"not registered by khabar.builtins: {sorted(named - registered)}"
