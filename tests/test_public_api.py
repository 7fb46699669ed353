"""The public Python API is a promise: changing it must be a deliberate act."""

import khabar

PUBLIC = {
    "Article",
    "ArticleLookup",
    "Claim",
    "Config",
    "ConfigError",
    "DropArticle",
    "Evidence",
    "InputError",
    "InputRef",
    "KhabarError",
    "MemoryLookup",
    "Pipeline",
    "PipelineError",
    "Published",
    "Segment",
    "RegistryError",
    "RunSummary",
    "Skip",
    "SkippedInput",
    "Source",
    "Span",
    "Stage",
    "StageError",
    "Step",
    "Store",
    "StoreError",
    "TimeValue",
    "__version__",
    "load_config",
    "load_pipeline",
    "run",
    "sources",
    "stages",
    "steps",
}


def test_all_is_the_public_api() -> None:
    assert set(khabar.__all__) == PUBLIC


def test_every_public_name_exists() -> None:
    missing = [name for name in khabar.__all__ if not hasattr(khabar, name)]
    assert missing == []


def test_errors_share_one_base() -> None:
    for name in (
        "ConfigError",
        "InputError",
        "PipelineError",
        "RegistryError",
        "StageError",
        "StoreError",
    ):
        assert issubclass(getattr(khabar, name), khabar.KhabarError)


def test_load_pipeline_runs_an_article() -> None:
    pipeline = khabar.load_pipeline()
    text = "The council met on Monday. It approved the budget after a long debate. " * 3
    article = pipeline(khabar.Article.from_text(text, id="a1"))
    assert article.id == "a1"
    assert article.text == text.strip()
    assert len(article.sentences) == 6
