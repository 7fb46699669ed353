import pytest

from khabar.time.find import Finder
from khabar.time.rules import rules

# One phrase per rule that the rule reads, so that each rule's triggers, reach and the
# characters it may start with are exercised.
EXAMPLES = {
    "iso": "on 2023-02-03 it began",
    "numeric": "on 7/8/07 it began",
    "day_month": "on the 3rd of January 2023",
    "month_day": "on Jan. 3, 2023",
    "month_year": "in March of 2021",
    "month_relative_year": "in March last year",
    "month": "since November",
    "weekday": "this coming Tuesday",
    "named": "last summer",
    "season": "during the winter",
    "deictic_day": "earlier today",
    "day_phrase": "the day before yesterday",
    "deictic_unit": "the previous month",
    "weekend": "over the weekend",
    "ago": "a couple of weeks ago",
    "in_units": "within another twenty-five days",
    "stretch": "the past nine days",
    "recent_units": "in recent months",
    "reference": "for the time being",
    "decade": "the mid-1980s",
    "century": "the twentieth century",
    "year": "in 1648",
    "short_year": "the crash of '87",
    "quarter": "the fourth quarter of 2009",
    "q_code": "Q4 '22",
    "holiday": "Christmas Eve 2022",
    "clock_ampm": "at 6:40 p.m. (GMT +8)",
    "clock": "at 18:30",
    "military_clock": "at 0800 GMT",
    "noon": "by midnight",
    "same_day": "ended the day",
    "edge_of_unit": "the end of the month",
    "partial": "later this week",
}


def test_every_rule_has_an_example() -> None:
    assert {rule.name for rule in rules()} == set(EXAMPLES)


@pytest.mark.parametrize("rule", rules(), ids=lambda r: r.name)
def test_each_rule_reads_its_example(rule) -> None:  # type: ignore[no-untyped-def]
    text = EXAMPLES[rule.name]
    found = [f for f in Finder().candidates(text) if f.rule == rule.name]
    assert found, f"{rule.name} found nothing in {text!r}"
