"""The packaged ontology, lexicon, and the ACLED and CAMEO mappings."""

import pytest

from khabar.core.article import EventParticipant
from khabar.core.errors import ConfigError
from khabar.events.lexicon import load_lexicon
from khabar.events.mapping import acled_code
from khabar.events.ontology import FUTURE_TYPE, load_ontology, parse_ontology


def test_sixteen_types_in_four_quads_with_definitions() -> None:
    ontology = load_ontology()
    assert len(ontology.types) == 16
    assert {t.quad for t in ontology.types.values()} == {
        "verbal_cooperation",
        "material_cooperation",
        "verbal_conflict",
        "material_conflict",
    }
    assert all(len(t.definition) > 40 for t in ontology.types.values())
    assert set(ontology.types["ASSAULT"].modes) >= {"explosives", "suicide-attack", "drone"}
    assert len(ontology.contexts) == 37
    assert set(ontology.statuses) == {"happened", "planned", "hypothetical", "negated", "claimed"}
    assert set(FUTURE_TYPE.values()) <= set(ontology.types)


def test_an_inconsistent_ontology_is_refused() -> None:
    raw = {
        "quads": {"q": ""},
        "types": {"X": {"quad": "q", "cameo": "01", "definition": "d", "modes": {}}},
        "contexts": {},
        "statuses": {},
        "acled": {
            "disorder_types": {},
            "event_types": {},
            "rules": [{"type": "Y", "acled": ["A", "B"]}],
        },
    }
    with pytest.raises(ConfigError, match="unknown type"):
        parse_ontology(raw)


def test_the_lexicon_names_only_known_types_modes_and_contexts() -> None:
    lexicon = load_lexicon()  # checked against the ontology when it loads
    assert lexicon.lookup("kill", "V")[-1].type == "ASSAULT"
    assert any(r.type == "NONE" for r in lexicon.lookup("combat", "V"))
    assert lexicon.in_class("condolence", "condolences")


def _who(sector: str, country: str = "XXX") -> EventParticipant:
    return EventParticipant(
        text="x", start=0, end=1, country=country, sector=sector, actor=0, method="t"
    )


@pytest.mark.parametrize(
    ("type_", "mode", "actors", "targets", "words", "territory", "expected"),
    [
        (
            "ASSAULT",
            "suicide-attack",
            [],
            [],
            set(),
            False,
            ("Explosions/Remote violence", "Suicide bomb"),
        ),
        (
            "ASSAULT",
            "drone",
            [],
            [],
            set(),
            False,
            ("Explosions/Remote violence", "Air/drone strike"),
        ),
        (
            "ASSAULT",
            "explosives",
            [],
            [],
            {"grenade"},
            False,
            ("Explosions/Remote violence", "Grenade"),
        ),
        (
            "ASSAULT",
            "explosives",
            [],
            [],
            {"bomb"},
            False,
            ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ),
        (
            "ASSAULT",
            "firearms",
            [_who("MIL")],
            [_who("REB")],
            set(),
            False,
            ("Battles", "Armed clash"),
        ),
        (
            "ASSAULT",
            "firearms",
            [_who("REB")],
            [_who("CVL")],
            set(),
            False,
            ("Violence against civilians", "Attack"),
        ),
        (
            "ASSAULT",
            None,
            [_who("MIL")],
            [],
            set(),
            True,
            ("Battles", "Government regains territory"),
        ),
        (
            "ASSAULT",
            None,
            [_who("REB")],
            [],
            set(),
            True,
            ("Battles", "Non-state actor overtakes territory"),
        ),
        (
            "ASSAULT",
            "abduct",
            [],
            [],
            set(),
            False,
            ("Violence against civilians", "Abduction/forced disappearance"),
        ),
        ("PROTEST", "riot", [], [], set(), False, ("Riots", "Violent demonstration")),
        ("PROTEST", "demo", [], [], set(), False, ("Protests", "Peaceful protest")),
        ("COERCE", "arrest", [], [], set(), False, ("Strategic developments", "Arrests")),
        ("AGREE", None, [], [], {"ceasefire"}, False, ("Strategic developments", "Agreement")),
        (
            "REJECT",
            "yield",
            [_who("REB")],
            [],
            set(),
            False,
            ("Strategic developments", "Change to group/activity"),
        ),
        ("REJECT", "yield", [_who("GOV")], [], set(), False, None),
        ("CONSULT", "visit", [_who("GOV")], [], set(), False, None),
        ("AGREE", None, [], [], {"talks"}, False, None),
    ],
)
def test_acled_mapping(type_, mode, actors, targets, words, territory, expected) -> None:  # type: ignore[no-untyped-def]
    found = acled_code(load_ontology(), type_, mode, actors, targets, words, territory)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.event_type, found.sub_event_type) == expected
        assert found.disorder_type in (
            "Political violence",
            "Demonstrations",
            "Strategic developments",
        )


@pytest.mark.parametrize(
    ("type_", "mode", "cameo"),
    [
        ("AGREE", None, "03"),
        ("CONSULT", "visit", "04"),
        ("ACCUSE", "investigate", "09"),
        ("ACCUSE", "allege", "11"),
        ("ASSAULT", "firearms", "19"),
        ("ASSAULT", "unconventional", "20"),
        ("ASSAULT", "abduct", "18"),
        ("COERCE", "arrest", "17"),
        ("NOT_A_TYPE", None, None),
    ],
)
def test_cameo_roots(type_: str, mode: str | None, cameo: str | None) -> None:
    assert load_ontology().cameo(type_, mode) == cameo
