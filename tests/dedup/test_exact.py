from khabar import Article, MemoryLookup, stages, steps
from khabar.core.fingerprint import text_fingerprint

TEXT = "The army said three soldiers were killed in an ambush near the border on Sunday."


def cleaned(text: str, canonical: str | None = None, id: str | None = None) -> Article:
    article = Article.from_text(text, id=id)
    article.text = text
    if canonical:
        from khabar import Evidence

        article.claim(
            "canonical_url", canonical, method="t", evidence=Evidence.meta("link", canonical)
        )
    return article


link = steps.get("dedup.exact.v1").factory()


def stored(lookup: MemoryLookup, article: Article) -> Article:
    article = link(article, lookup)
    lookup.add(article)
    return article


def test_the_fingerprint_ignores_case_and_spacing_only() -> None:
    assert text_fingerprint(TEXT) == text_fingerprint("  " + TEXT.upper().replace(" ", "\n  "))
    assert text_fingerprint(TEXT) != text_fingerprint(TEXT.replace("three", "four"))


def test_the_same_text_links_to_the_first_article() -> None:
    lookup = MemoryLookup()
    first = stored(lookup, cleaned(TEXT, id="a"))
    second = stored(lookup, cleaned(TEXT.upper(), id="b"))
    other = stored(lookup, cleaned(TEXT.replace("three", "four"), id="c"))
    assert first.duplicate_of is None
    assert second.duplicate_of == "a"
    assert other.duplicate_of is None


def test_the_same_canonical_url_links_but_a_site_root_does_not() -> None:
    lookup = MemoryLookup()
    stored(lookup, cleaned(TEXT, "https://x.example/news/1", id="a"))
    stored(lookup, cleaned("Another story entirely.", "https://y.example/", id="r"))
    assert (
        stored(lookup, cleaned("Updated: " + TEXT, "https://x.example/news/1", id="b")).duplicate_of
        == "a"
    )
    assert (
        stored(lookup, cleaned("A third story.", "https://y.example/", id="s")).duplicate_of is None
    )


def test_it_is_registered_with_its_contract() -> None:
    spec = steps.get("dedup.exact.v1")
    assert spec.requires == {"text"} and spec.assigns == {"content_hash", "duplicate_of"}
    assert "dedup.exact.v1" not in stages
