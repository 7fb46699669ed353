from pathlib import Path

import pycountry
import pytest

from khabar.actors.codes import BLOCS, SECTORS, is_state, valid_country
from khabar.actors.kb import PACKAGED, KnowledgeBaseError, load_kb, packaged_dir
from khabar.actors.resolve import Resolver

# The 193 UN member states and the 2 observer states, by ISO 3166-1 alpha-3 code: every
# pycountry entry except territories, dependencies and special areas.
NOT_STATES = {
    "ABW", "AIA", "ALA", "ASM", "ATA", "ATF", "BES", "BLM", "BMU", "BVT", "CCK", "COK", "CUW",
    "CXR", "CYM", "ESH", "FLK", "FRO", "GGY", "GIB", "GLP", "GRL", "GUF", "GUM", "HKG", "HMD",
    "IMN", "IOT", "JEY", "MAC", "MAF", "MNP", "MSR", "MTQ", "MYT", "NCL", "NFK", "NIU", "PCN",
    "PRI", "PYF", "REU", "SGS", "SHN", "SJM", "SPM", "SXM", "TCA", "TKL", "TWN", "UMI", "VGB",
    "VIR", "WLF",
}  # fmt: skip


def test_every_un_member_and_observer_state_is_there_with_its_status() -> None:
    kb = load_kb()
    states = {c.alpha_3 for c in pycountry.countries} - NOT_STATES | {"VAT", "PSE"}
    assert len(states) == 195
    lines = (packaged_dir() / "countries.tsv").read_text(encoding="utf-8").splitlines()
    status = {cells[1]: cells[7] for cells in (line.split("\t") for line in lines[3:])}
    for code in states:
        assert f"country/{code}" in kb.entries, code
        assert status[code] == ("UN observer" if code in ("VAT", "PSE") else "UN member"), code


def test_every_row_is_valid_and_sourced() -> None:
    kb = load_kb()
    for entry in kb.entries.values():
        assert entry.source.strip(), entry.id
        assert valid_country(entry.country), entry.id
        if entry.kind == "country":
            assert is_state(entry.country)
            assert pycountry.countries.get(alpha_3=entry.country) or entry.country == "XKX"
        assert entry.sector is None or entry.sector in SECTORS, entry.id
    for role in kb.roles.values():
        assert role.sector is None or role.sector in SECTORS, role.id
        assert role.default_country is None or role.default_country in BLOCS, role.id
    assert kb.conflicts == []  # no surface form means two things


def test_the_knowledge_base_is_large_enough_to_be_useful() -> None:
    stats = load_kb().stats()
    kinds = stats["entries_by_kind"]
    assert isinstance(kinds, dict)
    assert kinds["country"] >= 195
    assert kinds["group"] >= 100
    assert kinds["igo"] >= 80
    assert isinstance(stats["aliases"], int) and stats["aliases"] >= 3000


@pytest.mark.parametrize(
    ("alias", "entry"),
    [
        ("Tahreek-e-Taliban Pakistan", "group/ttp"),
        ("Pakistani Taliban", "group/ttp"),
        ("Daesh", "group/islamic-state"),
        ("ISIL", "group/islamic-state"),
        ("Ansar Allah", "group/houthis"),
        ("Hizbollah", "group/hezbollah"),
        ("al-Shabab", "group/al-shabaab"),
        ("ISWAP", "group/iswap"),
        ("JNIM", "group/jnim"),
        ("PKK", "group/pkk"),
        ("ADF", "group/adf"),
        ("ELN", "group/eln"),
        ("Islamabad", "country/PAK"),
        ("Ivory Coast", "country/CIV"),
        ("Burma", "country/MMR"),
        ("Turkey", "country/TUR"),
        ("State Department", "body/usa-state-department"),
        ("Pentagon", "body/usa-pentagon"),
    ],
)
def test_aliases(alias: str, entry: str) -> None:
    found = load_kb().aliases[alias].entry
    assert found is not None and found.id == entry


def test_a_users_file_adds_entries_and_replaces_packaged_ones(tmp_path: Path) -> None:
    mine = tmp_path / "mine.tsv"
    mine.write_text(
        "# my own actors\n"
        "id\tkind\tname\tcountry\tsector\taliases\tsource\n"
        "group/valley-front\tgroup\tValley Liberation Front\tPAK\tREB\tVLF\tmy notes, 2024\n"
        "group/ttp\tgroup\tTTP (my coding)\tAFG\tREB\tTTP\tmy notes, 2024\n",
        encoding="utf-8",
    )
    kb = load_kb([mine])
    assert kb.entries["group/ttp"].country == "AFG"
    assert str(mine) in kb.files
    text = "The VLF and the TTP claimed the attack."
    actors = {a.kb_id: a for a in Resolver(kb).resolve(text, [])}
    assert actors["group/valley-front"].canonical == "Valley Liberation Front"
    assert actors["group/ttp"].country == "AFG"
    assert load_kb().entries["group/ttp"].country == "PAK"  # the packaged KB is untouched


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id\tkind\tname\tcountry\tsector\taliases\tsource\nx\tgroup\tX\tXXX\tREB\t\tme\n", "XXX"),
        ("id\tkind\tname\tcountry\tsector\taliases\tsource\nx\tgroup\tX\tPAK\tBAD\t\tme\n", "BAD"),
        ("id\tkind\tname\tcountry\tsector\taliases\tsource\nx\tgroup\tX\tPAK\tREB\t\t\n", "source"),
        ("id\tkind\tname\tcountry\tsector\taliases\tsource\nx\tgroup\tX\tPAK\n", "cells"),
        ("name\tcountry\n", "header"),
    ],
)
def test_a_bad_row_names_its_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message) as caught:
        load_kb([bad])
    assert "bad.tsv" in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="extra_kb"):
        load_kb([tmp_path / "absent.tsv"])


def test_every_packaged_file_is_read() -> None:
    assert [Path(f).name for f in load_kb().files] == list(PACKAGED)
