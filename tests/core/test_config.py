from pathlib import Path

import pytest

from khabar import Config, ConfigError


def test_defaults_come_from_the_packaged_file() -> None:
    config = Config.load(env={})
    assert config.run.db == "khabar.db"
    assert config.pipeline.stages == [
        "clean",
        "published",
        "language",
        "sentences",
        "time",
        "entities",
        "places",
        "actors",
        "events",
    ]
    assert config.origin("run.jobs") == "the packaged default"


def test_layers_apply_in_order_file_env_overrides(tmp_path: Path) -> None:
    path = tmp_path / "my.toml"
    path.write_text('[run]\njobs = 3\nbatch_size = 7\ndb = "file.db"\n')
    env = {"KHABAR_RUN__JOBS": "4", "KHABAR_RUN__BATCH_SIZE": "9"}
    config = Config.load(path, env=env, overrides=["run.batch_size=11"])
    assert config.run.db == "file.db"
    assert config.run.jobs == 4
    assert config.run.batch_size == 11
    assert config.origin("run.db") == f"config file {path}"
    assert config.origin("run.jobs") == "environment variable KHABAR_RUN__JOBS"
    assert config.origin("run.batch_size") == "--set run.batch_size=11"


def test_the_config_file_can_come_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "env.toml"
    path.write_text("[run]\nbatch_size = 5\n")
    assert Config.load(env={"KHABAR_CONFIG": str(path)}).run.batch_size == 5


def test_stage_settings_are_typed_and_overridable() -> None:
    config = Config.load(env={"KHABAR_STAGES__CLEAN__MIN_CHARS": "10"})
    part = config.part("stage", "clean")
    assert part.settings["min_chars"] == 10
    assert part.registered.name == "extract.main_text.v1"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["stages.clean.min_char=5"], "has no setting 'min_char'.*Did you mean 'min_chars'"),
        (["stages.clean.min_chars=many"], r"stages.clean.min_chars = 'many' is invalid.*--set"),
        (["run.jobs=-1"], r"run.jobs = -1 is invalid"),
        (["runn.jobs=1"], "unknown config section 'runn'.*Did you mean 'run'"),
        (
            ["stages.clean.factory=extract.main_txt.v1"],
            "unknown stage 'extract.main_txt.v1'.*Did you mean",
        ),
        (["pipeline.stages=['clean', 'nope']"], "unknown stage 'nope'"),
        (["run.jobs"], "not of the form section.key=value"),
    ],
)
def test_bad_settings_fail_fast_and_say_where(overrides: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.load(env={}, overrides=overrides)


def test_a_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="environment variable KHABAR_RUN__BATCH_SIZE"):
        Config.load(env={"KHABAR_RUN__BATCH_SIZE": "0"})


def test_a_missing_or_broken_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Config.load(tmp_path / "nope.toml", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("[run\njobs = 1")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.load(bad, env={})


def test_a_registered_name_can_be_listed_without_a_table() -> None:
    config = Config.load(env={}, overrides=["pipeline.stages=['clean', 'nlp.sentences.v1']"])
    part = config.part("stage", "nlp.sentences.v1")
    assert part.settings == {"max_chars": 1000}


def test_a_plugin_module_that_does_not_import_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot import plugin module 'no_such_khabar_plugin'"):
        Config.load(env={}, overrides=["pipeline.plugins=['no_such_khabar_plugin']"])


def test_other_khabar_environment_variables_are_not_settings() -> None:
    config = Config.load(env={"KHABAR_CACHE_DIR": "/tmp/x", "KHABAR_SOMETHING": "1"})
    assert "cache_dir" not in config.data and "something" not in config.data
