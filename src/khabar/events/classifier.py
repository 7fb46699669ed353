"""Which PLOVER event type a sentence reports, if any: a linear model over word features.

The model is multinomial logistic regression over sparse binary features of one sentence:
stemmed words and word pairs, cue words from a small lexicon per type (which cue comes first
counts too), and the words and cues that follow a negation, a future or commitment cue or a
threat cue (so "will meet" and "met", "threatened to strike" and "struck" look different).
It is trained by ``python -m khabar.events.train`` on the project's own labelled sentences
(``data/events/training.jsonl``) and shipped as one JSON file; see
``docs/event-coding-guideline.md`` for how the sentences are labelled.

``predict`` gives, for every sentence, all sixteen PLOVER types and ``NONE`` with their
probabilities, best first. It is pure Python plus numpy: thousands of sentences per second.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
NO_EVENT = "NONE"
LABELS = (*PLOVER_TYPES, NO_EVENT)
_SHARED_MODES = frozenset({"assist", "change", "yield", "meet"})
MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": _SHARED_MODES,
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": _SHARED_MODES,
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset(
        {
            "seize",
            "restrict",
            "censor",
            "curfew",
            "martial-law",
            "arrest",
            "deport",
            "withhold",
            "misinformation",
            "cyber",
        }
    ),
    "ASSAULT": frozenset(
        {
            "abduct",
            "beat",
            "torture",
            "sexual",
            "targeted",
            "destroy",
            "primitive",
            "firearms",
            "explosives",
            "suicide-attack",
            "aerial",
            "drone",
            "heavy-weapons",
            "crowd-control",
            "unconventional",
        }
    ),
    NO_EVENT: frozenset(),
}
STATUSES = ("happened", "planned", "hypothetical", "negated", "claimed")
MODEL_FORMAT = "khabar.event-types"
DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "data" / "models" / "event-types-v1.json"

FloatArray = npt.NDArray[np.float32]

# -- features -------------------------------------------------------------------------------------
_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[.,;:!?\"()]")
_BOUNDARY = frozenset('.,;:!?"()')
# Irregular forms that news verbs take; everything else goes through the suffix rules.
_IRREGULAR_FORMS = (
    "met:meet held:hold struck:strike shot:shoot fought:fight took:take taken:take sent:send "
    "gave:give given:give threw:throw thrown:throw began:begin begun:begin broke:break "
    "broken:break spoke:speak spoken:speak went:go gone:go fled:flee won:win sought:seek "
    "brought:bring told:tell said:say says:say saw:see seen:see made:make withdrew:withdraw "
    "withdrawn:withdraw froze:freeze frozen:freeze rose:rise risen:rise fell:fall fallen:fall "
    "kept:keep paid:pay laid:lay stood:stand blew:blow blown:blow slain:slay "
    "overthrew:overthrow overthrown:overthrow stole:steal stolen:steal drove:drive "
    "driven:drive led:lead hid:hide hidden:hide bore:bear sold:sell bought:buy caught:catch "
    "forbade:forbid forbidden:forbid undertook:undertake wrote:write written:write "
    "chose:choose chosen:choose arose:arise swore:swear sworn:swear flew:fly flown:fly "
    "shut:shut hit:hit set:set cut:cut quit:quit n't:not"
)


def _pairs(text: str) -> dict[str, str]:
    """'met:meet held:hold' as {'met': 'meet', 'held': 'hold'}."""
    pairs = {}
    for pair in text.split():
        form, base = pair.split(":")
        pairs[form] = base
    return pairs


_IRREGULAR = _pairs(_IRREGULAR_FORMS)
_NEGATION = frozenset({"not", "no", "never", "without", "neither", "nor", "n't"})
_FUTURE = frozenset(
    {"will", "would", "shall", "'ll", "plan", "expect", "schedul", "due", "next", "upcom"}
)
_COMMIT = frozenset(
    {"agre", "pledg", "promis", "vow", "offer", "ready", "willing", "prepar", "commit", "invit"}
)
_THREAT = frozenset({"threaten", "warn", "ultimatum", "threat"})
_CUES = (("neg", _NEGATION, 3), ("fut", _FUTURE, 3), ("com", _COMMIT, 4), ("thr", _THREAT, 5))
_VOWEL = re.compile(r"[aeiouy]")
_CONDITION = frozenset({"unless", "if"})
# PLOVER's quad of each label: a cue's quad after "will" or "not" says more than the cue itself
# ("will withdraw its force unless" is a threat, "will not accept" a refusal).
QUADS = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), "verbal-cooperation"),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), "material-cooperation"),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), "verbal-conflict"),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), "material-conflict"),
}

# Cue words per label, from the PLOVER manual's definitions and ordinary news usage; a two-word
# cue is joined by "_". They become features ("lex:ASSAULT"), so the model can learn from all of
# a type's examples at once what a cue word is worth, including cue words no example uses.
_LEXICON = {
    "AGREE": "agree pledge promise commit offer invite invitation accept willing ready intend "
    "accord agreement deal undertake plan_to set_to due_to expected_to will_meet will_visit",
    "CONSULT": "meet meeting talk talks discuss discussion negotiate negotiation visit host "
    "receive confer consult consultation telephone phone_call summit dialogue mediate envoy "
    "hold_talks sat_down greet red_carpet conference",
    "SUPPORT": "praise welcome commend endorse back support hail applaud congratulate laud "
    "recognise recognize recognition ratify sign thank defend approve backing solidarity "
    "appreciation normalise normalize establish_relations restore_ties forgive",
    "CONCEDE": "pardon amnesty apologise apologize apology regret remorse lift ease relax "
    "acquit commute concede repeal reverse clemency abandon shelve back_down drop_charges "
    "call_off unilateral allow permit reinstate shorten loosen",
    "COOPERATE": "joint jointly exercise drill extradite extradition cooperate cooperation "
    "coordinate combined share exchange together hand_over war_game manoeuvre maneuver",
    "AID": "aid assistance donate donation provide supply deliver grant loan fund finance "
    "relief humanitarian rescue asylum refuge shelter airlift evacuate gift disburse tranche "
    "peacekeeper supplies medicine food tonne",
    "RETREAT": "release free freed withdraw withdrawal pull_out pull_back resign resignation "
    "step_down quit surrender disarm demobilise demobilize truce ceasefire swap "
    "lay_down allow_access reopen admit let_in",
    "REQUEST": "urge demand call_on call_for ask request appeal press insist order seek "
    "direct instruct plead petition must pressure lobby",
    "ACCUSE": "accuse accusation blame allege allegation condemn condemnation criticise "
    "criticize criticism denounce decry deplore slam summon charge indict sue lawsuit "
    "complaint investigate investigation probe inquiry censure impeach trial prosecute complain "
    "lodge examine inspector fact_finding",
    "REJECT": "reject rejection refuse refusal decline veto rebuff dismiss turn_down rule_out "
    "block defy ignore collapse break_down cancel scrap overturn strike_down vote_down oppose "
    "renege go_back fail_to deadlock stalemate snub no_intention",
    "THREATEN": "threaten threat warn warning ultimatum menace retaliate retaliation "
    "or_face vow_to unless otherwise or_else",
    "PROTEST": "protest protester demonstrate demonstration demonstrator rally march strike "
    "walkout sit_in hunger_strike riot rioter picket boycott chant vigil take_to blockade "
    "block_road block_highway block_street block_traffic block_bridge block_motorway barricade",
    "SANCTION": "sanction embargo expel recall sever cut_ties suspend freeze tariff blacklist "
    "convict conviction sentence jail guilty halt terminate downgrade persona_non reduce cut "
    "suspension",
    "MOBILIZE": "deploy deployment mobilise mobilize mobilisation mobilization mass reinforce "
    "reinforcement alert readiness test_fire buildup build_up call_up reservist warship "
    "show_of troops_to strengthen bolster beef_up patrol battalion brigade tank",
    "COERCE": "arrest detain detention custody raid seize confiscate ban curfew emergency "
    "martial censor shut_down deport deportation house_arrest crackdown disperse cordon "
    "round_up hack hacker cyberattack annex dissolve bar disqualify outlaw prevent siege "
    "blockade closure impose prohibit",
    "ASSAULT": "kill attack bomb bombing shell shelling shoot gunman gunmen gunfire airstrike "
    "air_strike drone ambush clash fight fighting battle wound injure explode explosion blast "
    "detonate suicide stab behead massacre abduct kidnap hijack torture rape assassinate "
    "execute murder beat assault tear_gas rocket missile artillery mortar grenade landmine "
    "raze torch demolish open_fire",
    "NONE": "condolence sympathy grief mourn economy inflation percent gdp market currency "
    "price interest_rate weather temperature rain flood earthquake cyclone storm match "
    "wicket goal striker football cricket tournament poll census tourism accident crash",
}


def _compile_lexicon() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, str], tuple[str, ...]]]:
    unigrams: dict[str, tuple[str, ...]] = {}
    bigrams: dict[tuple[str, str], tuple[str, ...]] = {}
    for label, words in _LEXICON.items():
        for cue in words.split():
            parts = [stem(part) for part in cue.split("_")]
            if len(parts) == 1:
                unigrams[parts[0]] = (*unigrams.get(parts[0], ()), label)
            else:
                key = (parts[0], parts[1])
                bigrams[key] = (*bigrams.get(key, ()), label)
    return unigrams, bigrams


def stem(word: str) -> str:
    """A small English stemmer: enough to make 'attacked', 'attacks' and 'attacking' one word."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    base = word
    if base.endswith("ies") or base.endswith("ied"):
        base = base[:-3] + "y"
    elif base.endswith("eed"):
        base = base[:-1]
    elif base.endswith("ed") or base.endswith("ing"):
        cut = base[:-2] if base.endswith("ed") else base[:-3]
        if len(cut) >= 3 and _VOWEL.search(cut):
            base = cut[:-1] if _doubled(cut) else cut
    elif base.endswith(("ches", "shes", "sses", "xes")):
        base = base[:-2]
    elif base.endswith("s") and not base.endswith(("ss", "us", "is")):
        base = base[:-1]
    if len(base) > 3 and base.endswith("e"):
        base = base[:-1]
    return base


def _doubled(word: str) -> bool:
    return len(word) >= 2 and word[-1] == word[-2] and word[-1] not in "lsfzaeiou"


def tokenize(text: str) -> list[str]:
    """Lowercased words and the punctuation that bounds a clause."""
    return _TOKEN.findall(text.lower().replace("n't", " n't"))


_UNIGRAM_CUES, _BIGRAM_CUES = _compile_lexicon()


def features(text: str) -> list[str]:
    """The sparse binary features of one sentence (duplicates removed, order kept)."""
    tokens = tokenize(text)
    stems = [t if t in _BOUNDARY else stem(t) for t in tokens]
    cues = _lexicon_hits(stems)
    out = ["bias"]
    out.extend("w:" + s for s in stems if s not in _BOUNDARY)
    out.extend("p:" + s[:5] for s in stems if len(s) > 5)
    out.extend(f"b:{a}_{b}" for a, b in zip(["<s>", *stems], [*stems, "</s>"], strict=True))
    out.extend("lex:" + label for hit in cues for label in hit)
    first = next((hit for hit in cues if hit), ())
    out.extend("lex1:" + label for label in first)
    for name, words, width in _CUES:
        out.extend(_scoped(stems, cues, name, words, width))
    present = set(stems)
    if present & _CONDITION and present & _FUTURE:
        out.append("future-if")
    return list(dict.fromkeys(out))


def _lexicon_hits(stems: Sequence[str]) -> list[tuple[str, ...]]:
    """Per token, the labels whose cue words (one word, or two starting here) it begins."""
    hits: list[tuple[str, ...]] = []
    for i, s in enumerate(stems):
        labels = _UNIGRAM_CUES.get(s, ())
        if i + 1 < len(stems):
            labels = labels + _BIGRAM_CUES.get((s, stems[i + 1]), ())
        hits.append(labels)
    return hits


def _scoped(
    stems: Sequence[str],
    cues: Sequence[tuple[str, ...]],
    name: str,
    words: frozenset[str],
    width: int,
) -> Iterable[str]:
    """What follows a cue word, up to ``width`` words within its clause, named after the cue."""
    for i, s in enumerate(stems):
        if s not in words:
            continue
        for j in range(i + 1, min(i + 1 + width, len(stems))):
            if stems[j] in _BOUNDARY:
                break
            yield f"{name}:{stems[j]}"
            for label in cues[j]:
                yield f"{name}:lex:{label}"
                if label in QUADS:
                    yield f"{name}:quad:{QUADS[label]}"


# -- the model ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SparseRows:
    """Feature rows in CSR form: row ``i`` is ``indices[indptr[i]:indptr[i+1]]`` with ``data``."""

    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int64]
    data: FloatArray

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1


def vectorize(feature_lists: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> SparseRows:
    """Rows of known features, each scaled to unit length (long sentences don't shout)."""
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for feats in feature_lists:
        known = [vocabulary[f] for f in feats if f in vocabulary]
        weight = 1.0 / max(len(known), 1) ** 0.5
        indices.extend(known)
        data.extend([weight] * len(known))
        indptr.append(len(indices))
    return SparseRows(
        np.asarray(indptr, dtype=np.int64),
        np.asarray(indices, dtype=np.int64),
        np.asarray(data, dtype=np.float32),
    )


def scores(rows: SparseRows, weights: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``rows @ weights`` for a sparse ``rows``: one score per row and label."""
    out = np.zeros((rows.rows, weights.shape[1]), dtype=weights.dtype)
    if rows.indices.size == 0:
        return out
    contrib = weights[rows.indices] * rows.data[:, None]
    starts = rows.indptr[:-1]
    nonempty = rows.indptr[1:] > starts
    out[nonempty] = np.add.reduceat(contrib, starts[nonempty], axis=0)
    return out


def softmax(logits: npt.NDArray[Any]) -> npt.NDArray[Any]:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: npt.NDArray[Any] = exp / exp.sum(axis=1, keepdims=True)
    return result


class EventTypeClassifier:
    """PLOVER event type (or ``NONE``) of a sentence, with a probability for every label."""

    def __init__(self, labels: Sequence[str], vocabulary: Sequence[str], weights: FloatArray):
        if weights.shape != (len(vocabulary), len(labels)):
            raise ValueError(
                f"model weights have shape {weights.shape}, expected "
                f"({len(vocabulary)} features, {len(labels)} labels)"
            )
        self.labels = tuple(labels)
        self.vocabulary = {feature: i for i, feature in enumerate(vocabulary)}
        self.weights = weights

    @classmethod
    def load(cls, path: Path | None = None) -> EventTypeClassifier:
        """The model in ``path``; ``None``: the model packaged with khabar."""
        path = path or DEFAULT_MODEL
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(
                f"no event-type model at {path}: rebuild it with `python -m khabar.events.train`"
            ) from None
        return cls.from_dict(payload, source=str(path))

    @classmethod
    def from_dict(cls, payload: dict[str, Any], source: str = "<dict>") -> EventTypeClassifier:
        if payload.get("format") != MODEL_FORMAT:
            raise ValueError(f"{source} is not a khabar event-type model (format {MODEL_FORMAT!r})")
        vocabulary = payload["features"]
        labels = payload["labels"]
        raw = base64.b64decode(payload["weights"])
        weights = np.frombuffer(raw, dtype="<f4").reshape(len(vocabulary), len(labels))
        return cls(labels, vocabulary, weights.astype(np.float32))

    def probabilities(self, sentences: Sequence[str]) -> FloatArray:
        """One row per sentence, one column per label (in ``self.labels`` order)."""
        rows = vectorize([features(s) for s in sentences], self.vocabulary)
        return softmax(scores(rows, self.weights))

    def predict(self, sentences: list[str]) -> list[list[tuple[str, float]]]:
        """Per sentence, every PLOVER type and ``NONE`` with its probability, best first."""
        if not sentences:
            return []
        probs = self.probabilities(sentences)
        order = np.argsort(-probs, axis=1, kind="stable")
        return [
            [(self.labels[j], float(row[j])) for j in ranking]
            for row, ranking in zip(probs, order, strict=True)
        ]
