"""The docs are part of the product: every setting, part, reason and record field is documented,
and the examples run."""

import json
import re
import sys
from pathlib import Path

import pytest

from khabar import sources, stages, steps
from khabar.core.config import default_data, factory_parameters
from khabar.core.reasons import REASONS
from khabar.core.schema import record_schema

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def section(markdown: str, heading: str) -> str:
    """The text under a '### `heading`' line, up to the next heading of that level or above."""
    match = re.search(
        rf"^### `{re.escape(heading)}`\n(.*?)(?=^#{{1,3}} |\Z)", markdown, re.M | re.S
    )
    assert match, f"docs/config.md has no section '### `{heading}`'"
    return match.group(1)


def builtin_parts():  # type: ignore[no-untyped-def]
    for registry in (sources, stages, steps):
        for item in registry.all():
            if item.module.startswith("khabar."):
                yield item


def test_every_run_and_pipeline_setting_is_documented_with_its_default() -> None:
    config_md = (DOCS / "config.md").read_text()
    for section_name in ("run", "pipeline", "api", "fusion"):
        for key, value in default_data()[section_name].items():
            row = re.search(rf"^\| `{section_name}\.{key}` \| (.+?) \|", config_md, re.M)
            assert row, f"{section_name}.{key} is not documented in docs/config.md"
            assert str(value).lower().replace("'", '"') in row.group(1).replace("`", "").lower()


@pytest.mark.parametrize("part", list(builtin_parts()), ids=lambda p: p.name)
def test_every_builtin_part_and_setting_is_documented(part) -> None:  # type: ignore[no-untyped-def]
    text = section((DOCS / "config.md").read_text(), part.name)
    for name, (_, default) in factory_parameters(part.factory).items():
        row = re.search(rf"^\| `{name}` \| `(.+?)` \|", text, re.M)
        assert row, f"setting {name!r} of {part.name} is not documented"
        expected = json.dumps(list(default) if isinstance(default, tuple) else default)
        assert row.group(1) == expected, (
            f"{part.name}.{name}: docs say {row.group(1)}, code says {expected}"
        )


def test_the_packaged_default_uses_the_factories_defaults() -> None:
    data = default_data()
    for kind in ("sources", "stages", "steps"):
        for instance, table in data[kind].items():
            registry = {"sources": sources, "stages": stages, "steps": steps}[kind]
            params = factory_parameters(registry.get(table["factory"]).factory)
            for key, value in table.items():
                if key != "factory":
                    default = params[key][1]
                    assert value == (list(default) if isinstance(default, tuple) else default), (
                        f"{kind}.{instance}.{key}"
                    )


def test_every_skip_reason_is_documented() -> None:
    record_md = (DOCS / "record.md").read_text()
    for reason in REASONS.values():
        assert re.search(rf"^\| `{reason.code}` \| {reason.severity} \|", record_md, re.M), (
            reason.code
        )


def test_every_record_field_is_documented() -> None:
    record_md = (DOCS / "record.md").read_text()
    for field in record_schema()["properties"]:
        assert f"`{field}`" in record_md, f"record field {field!r} is not in docs/record.md"


def test_the_readme_first_screen_has_the_two_commands_and_ci_runs_the_second() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])
    commands = re.findall(r"^(make \w+)", first_screen, re.M)
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_writing_a_stage_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", (DOCS / "writing-a-stage.md").read_text(), re.S)
    module, usage = blocks
    (tmp_path / "my_khabar_stages.py").write_text(module)
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        exec(compile(usage, "writing-a-stage.md", "exec"), {})  # the example asserts its own result
    finally:
        stages._items.pop("myorg.paywall.v1", None)
        sys.modules.pop("my_khabar_stages", None)
