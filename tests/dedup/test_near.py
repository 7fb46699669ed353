import numpy as np
from datasketch import MinHash

from khabar import Article, MemoryLookup, steps
from khabar.dedup.near import _WORD, SHINGLE, signature, similarity

WIRE = (
    "Government and rebel delegations met in Muscat on Tuesday for a second day of talks on a "
    "prisoner exchange, mediators said. The talks focus on lists of detainees held by both sides "
    "since the fighting around the port city began two years ago. A mediator said the atmosphere "
    "was constructive and that technical teams would meet again next week to compare the lists. "
    "Families of detainees gathered outside the venue holding photographs of missing relatives. "
    "Aid agencies have called for the release of the sick and the elderly before the holidays."
)
EDITED = WIRE.replace(
    "said the atmosphere was constructive", "described the mood as positive"
).replace(
    " Aid agencies have called for the release of the sick and the elderly before the holidays.", ""
)
TEMPLATE = (
    "Army and militia delegations met in {place} on {day} for a second day of talks on a ceasefire, "
    "officials said. The talks focus on the withdrawal of heavy weapons from {area} where the fighting "
    "began {when}. An official said the atmosphere was {mood} and that military teams would meet again "
    "{next} to agree on the maps. Residents gathered outside the venue with banners calling for peace."
)

near = steps.get("dedup.near.v1").factory()


def article(text: str, id: str) -> Article:
    made = Article.from_text(text, id=id)
    made.text = text
    return made


def store(lookup: MemoryLookup, item: Article) -> Article:
    item = near(item, lookup)
    lookup.add(item)
    return item


def test_a_lightly_edited_copy_is_linked_with_its_similarity() -> None:
    lookup = MemoryLookup()
    first = store(lookup, article(WIRE, "a"))
    copy = store(lookup, article(EDITED, "b"))
    assert first.duplicate_of is None
    assert copy.duplicate_of == "a"
    assert copy.duplicate_method is not None and copy.duplicate_method.startswith("near_text:")
    assert float(copy.duplicate_method.split(":")[1]) >= 0.5


def test_the_same_kind_of_story_from_a_template_is_not_a_copy() -> None:
    lookup = MemoryLookup()
    one = TEMPLATE.format(
        place="Juba",
        day="Monday",
        area="the northern districts",
        when="in March",
        mood="tense",
        next="on Thursday",
    )
    two = TEMPLATE.format(
        place="Kadugli",
        day="Saturday",
        area="the river valley",
        when="last year",
        mood="difficult",
        next="after the holiday",
    )
    store(lookup, article(one, "a"))
    assert store(lookup, article(two, "b")).duplicate_of is None


def test_a_very_short_text_gets_no_signature() -> None:
    assert signature("Too short to judge.", 128) is None
    item = store(MemoryLookup(), article("Too short to judge.", "a"))
    assert item.fingerprints.minhash is None and item.duplicate_of is None


def test_signatures_are_datasketchs_minhash_value_for_value() -> None:
    # Stored signatures must not change with how they are computed: a store keeps them.
    for text, num_perm in ((WIRE, 128), (EDITED, 64), (TEMPLATE, 256)):
        words = _WORD.findall(text.casefold())
        shingles = {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - 4)}
        reference = MinHash(num_perm=num_perm, seed=1)
        reference.update_batch(shingles)
        ours = signature(text, num_perm)
        assert ours is not None and ours.dtype == np.uint32
        assert np.array_equal(ours, reference.hashvalues)


def test_similarity_estimates_the_overlap() -> None:
    a, b = signature(WIRE, 128), signature(EDITED, 128)
    assert a is not None and b is not None
    assert similarity(a, a) == 1.0
    assert 0.5 <= similarity(a, b) < 1.0
    assert similarity(a.tobytes(), b.tobytes()) == similarity(a, b)


BOMBING = (
    "A suicide bomber attacked a crowded market in {city}, {country}, on {day}, killing {dead} "
    "people and wounding {hurt} others, police said. {group} claimed responsibility for the "
    "attack. Ambulances rushed the wounded to the main hospital, where doctors appealed for "
    "blood. Security forces sealed off the area and began a search for accomplices. The "
    "government condemned the bombing and promised to bring those responsible to justice. "
    "Witnesses described a loud explosion followed by scenes of panic as people ran for cover."
)


def test_a_look_alike_about_another_place_day_and_toll_is_not_a_copy() -> None:
    lookup = MemoryLookup()
    first = BOMBING.format(city="Peshawar", country="Pakistan", day="Tuesday", dead=23, hurt=49,
                           group="The Pakistani Taliban")  # fmt: skip
    other = BOMBING.format(city="Basra", country="Iraq", day="Saturday", dead=7, hurt=17,
                           group="Islamic State")  # fmt: skip
    a, b = signature(first, 128), signature(other, 128)
    assert a is not None and b is not None and similarity(a, b) >= 0.5  # the words alone agree
    store(lookup, article(first, "a"))
    assert store(lookup, article(other, "b")).duplicate_of is None


def test_a_copy_with_an_updated_toll_is_still_a_copy() -> None:
    lookup = MemoryLookup()
    first = BOMBING.format(city="Peshawar", country="Pakistan", day="Tuesday", dead=23, hurt=49,
                           group="The Pakistani Taliban")  # fmt: skip
    store(lookup, article(first, "a"))
    update = first.replace("killing 23", "killing 25")
    assert store(lookup, article(update, "b")).duplicate_of == "a"
