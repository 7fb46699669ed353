"""Where this event happened (not the sentence's first place), and when: its own time, an
inherited one, or a background interval, never the publication date."""

from datetime import date

from .conftest import Code
from .support import only, trigger_text

PUBLISHED = date(2023, 2, 3)


def test_the_bombing_is_in_peshawar_not_where_the_speaker_stood(code: Code) -> None:
    done = code(
        "Bilawal, speaking in Washington, said the Peshawar bombing had killed scores of people.",
        PUBLISHED,
    )
    event = only(done.events, "ASSAULT")
    assert event.place is not None
    assert event.place.text == "Peshawar"


def test_a_locative_phrase_on_the_event_is_its_place(code: Code) -> None:
    done = code("In Vienna, some 200,000 people marched to demand equal rights.", PUBLISHED)
    event = only(done.events, "PROTEST")
    assert event.place is not None and event.place.text == "Vienna"


def test_the_town_named_beats_the_region_around_it(code: Code) -> None:
    done = code("Soldiers shot dead two men in the West Bank town of Tulkarm.", PUBLISHED)
    event = only(done.events, "ASSAULT")
    assert event.place is not None and event.place.text == "Tulkarm"


def test_an_event_with_no_place_of_its_own_has_none(code: Code) -> None:
    done = code("Officials in Kabul said gunmen had killed three guards.", PUBLISHED)
    assert only(done.events, "ASSAULT").place is None


def test_the_event_takes_its_own_time_not_the_speakers(code: Code) -> None:
    done = code(
        "Bilawal on Friday said that Pakistan and the United States will initiate talks in March.",
        PUBLISHED,
    )
    event = only(done.events, "AGREE")
    assert event.time is not None
    assert event.time.text == "March"
    assert (event.time.value.start, event.time.value.end) == (date(2023, 3, 1), date(2023, 3, 31))
    assert not event.time.inherited


def test_a_main_event_without_a_time_inherits_the_one_before(code: Code) -> None:
    done = code(
        "Police arrested two suspects in Quetta on Monday. They released one of them.",
        PUBLISHED,
    )
    released = next(e for e in done.events if trigger_text(done, e) == "released")
    assert released.time is not None
    assert released.time.inherited
    assert released.time.value.start == date(2023, 1, 30)
    arrested = next(e for e in done.events if trigger_text(done, e) == "arrested")
    assert arrested.time is not None and not arrested.time.inherited
    assert released.time.confidence < arrested.time.confidence


def test_a_background_mention_gets_an_interval_ending_at_the_anchor(code: Code) -> None:
    done = code("He offered condolences on the recent bombing in Peshawar.", PUBLISHED)
    event = only(done.events, "ASSAULT")
    assert event.mention_role == "background"
    assert event.time is not None
    assert event.time.value.granularity == "interval"
    assert event.time.value.end <= PUBLISHED < date(2023, 2, 4)
    assert event.time.value.start < event.time.value.end


def test_without_a_publication_date_a_relative_time_gives_no_time(code: Code) -> None:
    done = code("Bilawal visited Moscow last week.")
    event = only(done.events, "CONSULT")
    assert event.time is None  # "last week" of an unknown date is not placed, nor guessed
    assert event.place is not None and event.place.text == "Moscow"
