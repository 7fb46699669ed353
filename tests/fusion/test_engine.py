from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import date

from khabar.fusion import Fuser, Report, fuse, fused_record
from khabar.fusion.reports import content_words
from khabar.fusion.synthetic import stress, truth_report

PESHAWAR = {"place": "Peshawar", "country": "PAK", "lat": 34.008, "lon": 71.578}


def report(id_: str, article: str, **fields: object) -> Report:
    sentence = str(fields.pop("sentence", "A suicide bomber attacked a market in Peshawar."))
    base: dict[str, object] = {
        "type": "ASSAULT",
        "start": date(2024, 3, 12),
        "end": date(2024, 3, 12),
        "granularity": "day",
        "precision": "city",
        **PESHAWAR,
    }
    base.update(fields)
    return Report(
        id=id_,
        article_id=article,
        sentence=sentence,
        words=content_words(sentence),
        **base,  # type: ignore[arg-type]
    )


def groups(fuser: Fuser) -> set[frozenset[str]]:
    return {frozenset(r.id for r in members) for members in fuser.clusters().values()}


def test_a_syndicated_story_is_one_event_and_its_look_alikes_are_not() -> None:
    items = list(stress(copies=200, negatives=200))
    fused = fuse(truth_report(i) for i in items)
    assert len(fused.clusters()) == 201
    wire = {f"{i.id}-e0" for i in items if i.group == "wire"}
    assert wire in groups(fused)


def test_the_same_reports_in_any_order_or_in_any_batches_give_the_same_events() -> None:
    reports = [truth_report(i) for i in stress(copies=60, negatives=120, seed=5)]
    reports += [
        report("a1", "x1"),
        report("a2", "x2", start=date(2024, 3, 13), end=date(2024, 3, 13)),
        report("a3", "x3", start=date(2024, 3, 14), end=date(2024, 3, 14)),
    ]
    whole = fuse(reports).cluster_of
    for seed in range(3):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        incremental = Fuser()
        for chunk in (shuffled[:50], shuffled[50:51], shuffled[51:130], shuffled[130:]):
            incremental.add(chunk)
        assert incremental.cluster_of == whole


def test_hard_rules_keep_different_events_apart() -> None:
    far = report("far", "b", place="Quetta", lat=30.184, lon=67.001)
    week_later = report("later", "c", start=date(2024, 3, 19), end=date(2024, 3, 19))
    denied = report("denied", "d", status="negated")
    protest = report("protest", "e", type="PROTEST")
    fused = fuse([report("here", "a"), far, week_later, denied, protest])
    assert all(len(g) == 1 for g in groups(fused))


def test_one_articles_plan_and_deed_are_two_events_but_two_articles_may_be_one() -> None:
    sentence = "Pakistan and the United States agreed to hold talks on terrorism in Islamabad."
    talks = {"type": "AGREE", "sentence": sentence}
    plan = report("plan", "a", status="planned", **talks)
    deed = report("deed", "a", **talks)  # happened
    assert groups(fuse([plan, deed])) == {frozenset({"plan"}), frozenset({"deed"})}
    later = report("later", "b", **talks)  # another article reports it as done
    assert frozenset({"plan", "later"}) in groups(fuse([plan, later]))
    claimed = report("claimed", "a", status="claimed", **talks)  # a source for the same deed
    assert frozenset({"deed", "claimed"}) in groups(fuse([deed, claimed]))


def test_a_city_and_a_country_level_report_of_one_event_fuse() -> None:
    country = report("country", "b", place="Pakistan", lat=30.0, lon=70.0, precision="country")
    other_country = replace(
        country, id="elsewhere", article_id="c", country="AFG", place="Afghanistan"
    )
    fused = fuse([report("city", "a"), country, other_country])
    assert frozenset({"city", "country"}) in groups(fused)
    assert frozenset({"elsewhere"}) in groups(fused)


def test_compatible_types_fuse_only_when_the_sentences_agree() -> None:
    said = "Gunmen abducted twelve students from a school in Peshawar on Tuesday."
    same = report("coerce", "b", type="COERCE", sentence=said)
    unrelated = report(
        "arrests", "c", type="COERCE", sentence="Police detained traders over taxes."
    )
    fused = fuse([report("assault", "a", sentence=said), same, unrelated])
    assert frozenset({"assault", "coerce"}) in groups(fused)
    assert frozenset({"arrests"}) in groups(fused)


def test_a_chain_of_neighbours_cannot_join_events_days_apart() -> None:
    days = [date(2024, 3, d) for d in (10, 11, 12, 13, 14)]
    chain = [report(f"d{d.day}", f"art{d.day}", start=d, end=d) for d in days]
    for members in fuse(chain).clusters().values():
        spread = max(r.start for r in members if r.start) - min(r.start for r in members if r.start)
        assert spread.days <= 2


def test_a_background_mention_attaches_to_the_event_it_refers_to() -> None:
    event = report("bombing", "a")
    mention = report(
        "recalled",
        "b",
        start=None,
        end=None,
        granularity=None,
        mention_role="background",
        sentence="Last week's bombing of a market in Peshawar killed 23.",
    )
    elsewhere = replace(
        mention, id="quetta", article_id="c", place="Quetta", lat=30.184, lon=67.001
    )
    fused = fuse([event, mention, elsewhere])
    assert frozenset({"bombing", "recalled"}) in groups(fused)
    assert frozenset({"quetta"}) in groups(fused)
    record = fused_record(
        fused.cluster_of["bombing"], fused.clusters()[fused.cluster_of["bombing"]]
    )
    assert record["time"]["from"] == ["bombing"]  # the background mention decides nothing


def test_casualties_reconcile_per_article_and_flag_conflicts() -> None:
    reports = [
        report("a-early", "a", killed=(3, 3, 3), site="one.example"),
        report("a-late", "a", killed=(5, 5, 6), site="one.example"),
        report("b", "b", killed=(4, 4, 4), site="two.example"),
        report("c", "c", killed=(30, 30, 35), site="three.example"),
    ]
    fused = fuse(reports)
    assert len(fused.clusters()) == 1
    fid, members = next(iter(fused))
    killed = fused_record(fid, members)["killed"]
    assert (killed["low"], killed["best"], killed["high"]) == (4, 5, 35)
    assert killed["conflict"] is True
    assert [r["event"] for r in killed["reports"]] == ["b", "a-late", "c"]  # each article once
    agreeing = fused_record(fid, [r for r in members if r.id != "c"])["killed"]
    assert agreeing["conflict"] is False and agreeing["best"] == 4


def test_a_vague_toll_keeps_its_range_in_the_fused_event() -> None:
    # "hundreds killed" is 200-999 with no best figure: it is not lost when fused
    vague = [report("a", "a", killed=(200, None, 999))]
    fused = fuse(vague)
    fid, members = next(iter(fused))
    killed = fused_record(fid, members)["killed"]
    assert (killed["low"], killed["best"], killed["high"]) == (200, None, 999)
    assert killed["conflict"] is False
    # beside a report with a figure, the figure is the best and the range still bounds it
    both = fused_record(fid, [*members, report("b", "b", killed=(312, 312, 312))])["killed"]
    assert (both["low"], both["best"], both["high"]) == (200, 312, 999)


def test_a_vague_toll_is_read_back_from_the_store_row() -> None:
    from khabar.fusion.reports import _count

    assert _count({"killed_low": 200, "killed_best": None, "killed_high": 999}, "killed") == (
        200,
        None,
        999,
    )
    assert _count({"killed_low": None, "killed_best": None, "killed_high": None}, "killed") is None
    assert _count({"killed_low": None, "killed_best": 4, "killed_high": None}, "killed") == (
        4,
        4,
        4,
    )


def test_every_fused_field_says_which_reports_it_came_from() -> None:
    vague = report(
        "vague",
        "b",
        place="Khyber Pakhtunkhwa",
        lat=34.5,
        lon=72.0,
        precision="admin1",
        actors=frozenset({"Pakistani Taliban"}),
        confidence=0.9,
    )
    precise = report("precise", "a", actors=frozenset({"Pakistani Taliban", "Police"}))
    fid, members = next(iter(fuse([vague, precise])))
    record = fused_record(fid, members)
    assert record["place"]["name"] == "Peshawar" and record["place"]["from"] == ["precise"]
    assert record["type"] == {"value": "ASSAULT", "from": ["precise", "vague"]}
    assert record["actors"][0] == {"name": "Pakistani Taliban", "from": ["precise", "vague"]}
    assert record["articles"] == 2 and {r["event"] for r in record["reports"]} == {
        "vague",
        "precise",
    }


def test_a_user_can_split_and_merge_and_the_decisions_hold() -> None:
    fuser = fuse(
        [
            report("a", "a"),
            report("b", "b"),
            report("c", "c", place="Quetta", lat=30.184, lon=67.001),
        ]
    )
    assert frozenset({"a", "b"}) in groups(fuser)
    fuser.decide(split=("a", "b"))
    assert frozenset({"a"}) in groups(fuser) and frozenset({"b"}) in groups(fuser)
    fuser.decide(merge=["b", "c"])
    assert frozenset({"b", "c"}) in groups(fuser)
    fuser.add([report("d", "d")])  # a new report near "a" does not undo the decisions
    assert fuser.cluster_of["a"] != fuser.cluster_of["b"]
    assert fuser.cluster_of["b"] == fuser.cluster_of["c"]


def test_a_report_reads_its_actors_as_stored_or_as_queried() -> None:
    row = {
        "id": "e1",
        "article_id": "a1",
        "type": "ASSAULT",
        "actors": ["Tehrik-i-Taliban Pakistan|PAK|REB"],
        "targets": ["Pakistan (police)|PAK|COP"],
        "time_start": "2024-03-12",
        "time_end": "2024-03-12",
        "killed_best": 3,
    }
    queried = Report.from_row(row)
    stored = Report.from_row(
        {**row, "actors": json.dumps(row["actors"]), "targets": json.dumps(row["targets"])}
    )
    assert queried == stored
    assert queried.actors == {"Tehrik-i-Taliban Pakistan", "Pakistan (police)"}
    assert queried.actor_countries == {"PAK"} and queried.killed == (3, 3, 3)
    empty = Report.from_row({**row, "actors": "[]", "targets": "[]"})
    assert empty.actors == frozenset()
