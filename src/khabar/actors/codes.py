"""The codes an actor carries: PLOVER sectors, and countries (ISO 3166-1 alpha-3 or a bloc code).

These are the ontology (``../shared/design/ONTOLOGY.md``, PLOVER's actor attributes), not
names: names live in the data files.
"""

from __future__ import annotations

from functools import cache

import pycountry

SECTORS: dict[str, str] = {
    "GOV": "government",
    "MIL": "military",
    "COP": "police",
    "JUD": "judiciary",
    "LEG": "legislature",
    "PRM": "paramilitary",
    "PTY": "political party",
    "OPP": "opposition",
    "REB": "rebels",
    "UAF": "unidentified armed forces",
    "SPY": "intelligence",
    "CRM": "criminals",
    "CVL": "civilians",
    "JRN": "journalists",
    "MED": "medical",
    "EDU": "education",
    "BUS": "business",
    "LAB": "labour",
    "REL": "religious",
    "REF": "refugees",
    "AGR": "agriculture",
    "ELI": "elites",
    "SOC": "social",
    "PRE": "partially recognised entity",
    "UNK": "unknown",
}

BLOCS: dict[str, str] = {
    "IGO": "intergovernmental organisation",
    "UNO": "the United Nations and its agencies",
    "EUR": "the European Union",
    "NGO": "non-governmental organisation",
    "MNC": "multinational company",
    "ISM": "international ideological or religious movement",
    "IMG": "international militant group",
}

# Codes outside ISO 3166-1 that khabar accepts for states: XKX is the code the EU and the IMF
# use for Kosovo.
EXTRA_STATES: dict[str, str] = {"XKX": "Kosovo"}


@cache
def _iso3() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(EXTRA_STATES)


def is_state(code: str) -> bool:
    """An ISO 3166-1 alpha-3 code (or an accepted extra such as XKX)."""
    return code in _iso3()


def valid_country(code: str) -> bool:
    """A state's alpha-3 code or one of the bloc codes (IGO, UNO, EUR, NGO, MNC, ISM, IMG)."""
    return code in BLOCS or is_state(code)


def valid_sector(code: str) -> bool:
    return code in SECTORS


def igo_family(code: str | None) -> str | None:
    """UNO and EUR folded into IGO, for comparing with data that predates the finer codes."""
    return "IGO" if code in ("UNO", "EUR") else code
