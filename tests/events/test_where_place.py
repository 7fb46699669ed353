"""Where the event happened when the sentence names several places, or only places that are
not the scene: the rules of ``events/where.py`` on sentences written for these tests."""

from khabar.events.stage import EventCoder

from .conftest import Code


def place_of(code: Code, coder: EventCoder, text: str, word: str) -> str | None:
    """The place of the event named by ``word`` (its coded event's, else the place rule's)."""
    done = code(text)
    start = text.index(word)
    end = start + len(word)
    for event in done.events:
        if event.trigger.start < end and start < event.trigger.end:
            return event.place.text if event.place else None
    place = coder.place_at(done, start, end)
    return place.text if place else None


def test_a_march_through_a_city_is_in_it(code: Code, coder: EventCoder) -> None:
    text = "Thousands of students marched through Lyon on Sunday to demand lower fees."
    assert place_of(code, coder, text, "marched") == "Lyon"


def test_a_town_placed_by_a_bearing_beats_the_landmark(code: Code, coder: EventCoder) -> None:
    text = (
        "A suicide bomber blew himself up at a busy market in Iskandariya, some 50 km south "
        "of Baghdad, killing 22 people."
    )
    assert place_of(code, coder, text, "blew") == "Iskandariya"


def test_a_country_before_the_strike_is_the_side_not_the_place(
    code: Code, coder: EventCoder
) -> None:
    text = "The militant commander was killed in a U.S. airstrike, officials said."
    assert place_of(code, coder, text, "killed") is None


def test_a_weekday_is_no_place(code: Code, coder: EventCoder) -> None:
    text = "On Thursday, Nigerian troops arrested six suspected smugglers."
    assert place_of(code, coder, text, "arrested") is None


def test_the_actors_of_an_as_clause_are_not_its_scene(code: Code, coder: EventCoder) -> None:
    text = (
        "Twenty recruits were killed in two bombings on Sunday as Russia and China weighed "
        "plans to cut their aid."
    )
    assert place_of(code, coder, text, "killed") is None


def test_a_relative_clause_under_a_when_clause_is_no_scene(code: Code, coder: EventCoder) -> None:
    text = (
        "Police patrolled the roads while many of the families who sheltered in schools in "
        "Sinaloa state returned home."
    )
    assert place_of(code, coder, text, "patrolled") is None


def test_a_when_clause_shares_the_scene_of_its_clause(code: Code, coder: EventCoder) -> None:
    text = (
        "Eight villagers were killed in the town of Malakal when clashes erupted between militias."
    )
    assert place_of(code, coder, text, "erupted") == "Malakal"


def test_verbs_sharing_a_subject_share_the_scene(code: Code, coder: EventCoder) -> None:
    text = "A mortar round hit and destroyed a classroom at a school in central Kandahar."
    assert place_of(code, coder, text, "hit") == "Kandahar"


def test_the_place_a_bombardment_is_of(code: Code, coder: EventCoder) -> None:
    text = "Six civilians were wounded in the bombardment of the Sheikh Maqsoud district."
    place = place_of(code, coder, text, "wounded")
    assert place is not None and "Maqsoud" in place


def test_an_ambush_in_a_phrase_of_the_event_gives_its_place(code: Code, coder: EventCoder) -> None:
    text = "Two fighters were killed after being surrounded by the army in an ambush at Kafr Nasij town."
    assert place_of(code, coder, text, "killed") == "Kafr Nasij"


def test_a_rally_the_shooting_was_at_gives_its_place(code: Code, coder: EventCoder) -> None:
    text = "The senator was shot at an election rally in the city of Multan in March."
    assert place_of(code, coder, text, "shot") == "Multan"


def test_what_a_protest_is_against_is_not_where_it_is(code: Code, coder: EventCoder) -> None:
    text = "The villagers were protesting against the mining project in Balochistan."
    assert place_of(code, coder, text, "protesting") is None


def test_a_neighbourhood_named_within_a_city_is_the_place(code: Code, coder: EventCoder) -> None:
    text = "In the west Baghdad neighbourhood of Al-Amil, a roadside bomb killed two civilians."
    place = place_of(code, coder, text, "killed")
    assert place is not None and "Amil" in place


def test_a_named_site_beats_the_city_around_it(code: Code, coder: EventCoder) -> None:
    text = "Police patrolled outside Karachi's Al-Khidmat hospital on Saturday."
    place = place_of(code, coder, text, "patrolled")
    assert place is not None and "Khidmat" in place


def test_a_place_not_far_from_another_is_the_scene(code: Code, coder: EventCoder) -> None:
    text = "The fugitive was captured in May, hiding in a hole on a farm in Qalat not far from Kandahar."
    assert place_of(code, coder, text, "captured") == "Qalat"


def test_a_bare_name_after_at_is_a_place_whatever_the_ner_says(
    code: Code, coder: EventCoder
) -> None:
    text = "The rebels bombed and destroyed a cooperative office at Kalaiya on Friday."
    assert place_of(code, coder, text, "bombed") == "Kalaiya"


def test_what_a_shooting_adds_to_is_not_its_scene(code: Code, coder: EventCoder) -> None:
    text = (
        "A border guard was shot dead, adding to the strain surrounding next week's referendum "
        "in Transnistria."
    )
    assert place_of(code, coder, text, "shot") is None


def test_the_village_named_beats_the_city_around_it(code: Code, coder: EventCoder) -> None:
    # the NER takes "Sharifah" for a group; "the village of" says it is a place
    text = "Government troops shelled rebel positions at the village of Sharifah in eastern Hama."
    assert place_of(code, coder, text, "shelled") == "Sharifah"


def test_an_event_in_a_when_clause_leads_to_its_scene(code: Code, coder: EventCoder) -> None:
    text = (
        "Two officers were also injured when suspected members of a militant group struck at "
        "the police headquarters in Sopore town."
    )
    assert place_of(code, coder, text, "injured") == "Sopore"


def test_the_fighting_a_while_clause_names_gives_the_scene(code: Code, coder: EventCoder) -> None:
    text = (
        "About ten people were reportedly killed while more than 15 were also wounded in the "
        "3 June fighting in Jowhar district between two clan militias."
    )
    assert place_of(code, coder, text, "killed") == "Jowhar"


def test_a_city_named_before_the_building_struck(code: Code, coder: EventCoder) -> None:
    text = "A car bomb destroyed an upscale Kabul restaurant, killing six people."
    assert place_of(code, coder, text, "destroyed") == "Kabul"


def test_a_march_to_a_building_in_a_city_is_there(code: Code, coder: EventCoder) -> None:
    text = "Hundreds of students marched to the parliament in Dhaka on Monday."
    assert place_of(code, coder, text, "marched") == "Dhaka"


def test_participles_in_a_row_share_the_scene(code: Code, coder: EventCoder) -> None:
    text = "Police clashed with protesters in Cancun, firing tear gas and arresting dozens of them."
    assert place_of(code, coder, text, "arresting") == "Cancun"


def test_an_event_hung_on_another_shares_its_scene(code: Code, coder: EventCoder) -> None:
    text = "Police arrested twelve protesters in the town of Baruwa after they blocked the road."
    done = code(text)
    blocked = [e for e in done.events if text[e.trigger.start : e.trigger.end] == "blocked"]
    assert blocked and blocked[0].place is not None
    assert (blocked[0].place.text, blocked[0].place.method) == ("Baruwa", "events.where:host")


def test_the_scene_does_not_pass_through_a_report(code: Code, coder: EventCoder) -> None:
    text = (
        "Police arrested twelve men in Baruwa on Monday and said that protesters had blocked roads."
    )
    assert place_of(code, coder, text, "blocked") is None


def test_an_armed_group_is_no_place(code: Code, coder: EventCoder) -> None:
    # the NER and the grammar ("X's camps", "the X town of") took the group for a place before
    text = "Aircraft struck Boko Haram's camps in the forest on Sunday."
    assert place_of(code, coder, text, "struck") is None
    text = "Troops stormed the al-Shabaab town of Jilib on Monday."
    assert place_of(code, coder, text, "stormed") == "Jilib"


def test_a_possessive_place_is_whose_unless_it_locates_a_site(
    code: Code, coder: EventCoder
) -> None:
    text = "The deputy leader of Colombia's biggest rebel movement was captured on Friday."
    assert place_of(code, coder, text, "captured") is None
    text = "Soldiers patrolled Kabul's main streets on Friday after the bombing."
    assert place_of(code, coder, text, "patrolled") == "Kabul"


def test_a_name_the_places_stage_doubted_yields_to_a_sure_place(
    code: Code, coder: EventCoder
) -> None:
    # there are towns called Salazar; here it is the man captured
    text = "Salazar was captured in Peru last year."
    assert place_of(code, coder, text, "captured") == "Peru"


def test_an_adverb_of_place_narrowed_by_a_locative(code: Code, coder: EventCoder) -> None:
    text = "Elsewhere in Malawi, police arrested four traders on Tuesday."
    assert place_of(code, coder, text, "arrested") == "Malawi"


def test_a_place_the_sentence_opens_with_is_its_scene(code: Code, coder: EventCoder) -> None:
    # no path from "Goma" to the shooting in the parse: the opening phrase sets the scene
    text = "In Goma, the night was quiet until gunmen opened fire on a crowded market."
    done = code(text)
    opened = [e for e in done.events if text[e.trigger.start : e.trigger.end] == "opened"]
    assert opened and opened[0].place is not None
    assert (opened[0].place.text, opened[0].place.method) == ("Goma", "events.where:scene")


def test_an_opening_place_is_the_reporters_not_the_reported_events(
    code: Code, coder: EventCoder
) -> None:
    text = "In Goma, residents say life was calm until soldiers attacked the market."
    assert place_of(code, coder, text, "attacked") is None


def test_killed_on_patrol_somewhere_is_killed_there(code: Code, coder: EventCoder) -> None:
    text = "Three soldiers were killed patrolling in the town of Jilib on Monday."
    assert place_of(code, coder, text, "killed") == "Jilib"


def test_a_country_in_front_of_a_unit_is_whose_not_where(code: Code, coder: EventCoder) -> None:
    text = "Gunmen opened fire near a U.S. convoy late on Sunday."
    assert place_of(code, coder, text, "opened") is None


def test_since_the_start_of_a_war_somewhere_sets_the_scene(code: Code, coder: EventCoder) -> None:
    text = "Aid groups say 4,000 civilians have been killed since the start of the war in Yemen."
    assert place_of(code, coder, text, "killed") == "Yemen"
    # "since" alone is a time, not a scene
    text = "Ten men have been arrested since the visit to Yemen of the envoy."
    assert place_of(code, coder, text, "arrested") is None


def test_the_name_after_town_of_is_the_town(code: Code, coder: EventCoder) -> None:
    # a group's or a region's name before "town of" says whose or where the town is
    text = "Warplanes bombed the Jaysh al-Fatah town of Saraqib on Tuesday."
    assert place_of(code, coder, text, "bombed") == "Saraqib"
    # between two names the recogniser took for people, the one after "village of"
    text = "The Kebbi village of Dankade was raided by bandits on Monday."
    assert place_of(code, coder, text, "raided") == "Dankade"
    # but a known city after "neighbourhood of" holds the neighbourhood named before it
    text = "Gunmen attacked the Zahra neighbourhood of Jiddah on Tuesday."
    assert place_of(code, coder, text, "attacked") == "Zahra"
    # and an area's own designator makes it the larger one
    text = "Troops shot dead two militants near the Mendhar area of Poonch district."
    assert place_of(code, coder, text, "shot") == "Mendhar"


def test_an_attack_against_a_target_somewhere_is_there(code: Code, coder: EventCoder) -> None:
    text = (
        "Jihadists mounted an assault against a police station in the Tillaberi region on Sunday."
    )
    assert place_of(code, coder, text, "assault") == "Tillaberi"
    # a protest against something somewhere is about it, not there
    text = "Students protested in Dakar against the mining project in Kedougou."
    assert place_of(code, coder, text, "protested") == "Dakar"


def test_a_participles_own_target_beats_the_scene_it_shares(code: Code, coder: EventCoder) -> None:
    text = (
        "Government troops pushed into the Tigray region at dawn, targeting rebel trenches dug "
        "near the small town of Adwa."
    )
    assert place_of(code, coder, text, "targeting") == "Adwa"
    # with no place of its own, it still shares the scene
    text = "Government troops pushed into the Tigray region at dawn, targeting rebel trenches."
    assert place_of(code, coder, text, "targeting") == "Tigray"


def test_what_the_victim_was_doing_there_sets_the_scene(code: Code, coder: EventCoder) -> None:
    text = "The commander was arrested while planning an ambush in eastern Chad last year."
    assert place_of(code, coder, text, "arrested") == "Chad"


def test_a_setting_is_the_phrases_scene_not_a_clause_inside_it(
    code: Code, coder: EventCoder
) -> None:
    text = "Ten people were killed during clashes in Goma on Monday."
    assert place_of(code, coder, text, "killed") == "Goma"
    text = "Police arrested six men amid reports of threats against families who live in Kivu."
    assert place_of(code, coder, text, "arrested") is None
    text = (
        "Soldiers patrolled the streets during a strike called by unions to protest the "
        "closure of mines in Katanga."
    )
    assert place_of(code, coder, text, "patrolled") is None


def test_an_anniversary_is_a_date_not_a_scene(code: Code, coder: EventCoder) -> None:
    text = (
        "Several hundred students marched on Friday on the anniversary of the storming of the "
        "French embassy in Kigali."
    )
    assert place_of(code, coder, text, "marched") is None


def test_a_relative_clause_on_a_place_happens_there(code: Code, coder: EventCoder) -> None:
    text = "Aleppo, where rebels attacked an army post on Monday, remains divided."
    assert place_of(code, coder, text, "attacked") == "Aleppo"
    text = "Gaza, which was bombed again on Monday, has no power."
    assert place_of(code, coder, text, "bombed") == "Gaza"
    # unless the place is the one that acts
    text = "Britain, which condemned the attack on Monday, sent envoys."
    assert place_of(code, coder, text, "condemned") is None


def test_a_place_above_is_a_scene(code: Code, coder: EventCoder) -> None:
    text = "Fighter jets patrolled the skies above Kinshasa on Sunday."
    assert place_of(code, coder, text, "patrolled") == "Kinshasa"


def test_a_coordinated_clause_shares_its_scene(code: Code, coder: EventCoder) -> None:
    text = (
        "Four people died and 22 were injured when gunmen threw a grenade into a market in Bunia."
    )
    assert place_of(code, coder, text, "died") == "Bunia"


def test_a_kunya_is_a_man_not_a_town(code: Code, coder: EventCoder) -> None:
    text = "They captured Abu Zubair, the group's spokesman, in Mogadishu."
    assert place_of(code, coder, text, "captured") == "Mogadishu"


def test_what_is_destroyed_is_where(code: Code, coder: EventCoder) -> None:
    text = "The rebels' Kisangani offices were destroyed by an air raid overnight."
    assert place_of(code, coder, text, "destroyed") == "Kisangani"


def test_the_of_of_a_building_names_its_owner(code: Code, coder: EventCoder) -> None:
    text = "Gunmen destroyed the offices of the District Treasury in Kindu."
    assert place_of(code, coder, text, "destroyed") == "Kindu"


def test_a_border_named_by_a_nation_is_a_place(code: Code, coder: EventCoder) -> None:
    text = "The smuggler was killed in a US-Afghan raid near the Pakistani border on Friday."
    assert place_of(code, coder, text, "killed") == "Pakistani"


def test_two_nations_before_an_operation_are_the_sides(code: Code, coder: EventCoder) -> None:
    text = "The commander was killed in a US-Iraqi operation on Thursday."
    assert place_of(code, coder, text, "killed") is None


def test_the_words_of_an_unknown_name_stay_together(code: Code, coder: EventCoder) -> None:
    text = "A bomber blew himself up at a polling station in al-Mansour school in western Basra."
    assert place_of(code, coder, text, "blew") == "al-Mansour"


def test_an_unknown_quarter_is_finer_than_its_city(code: Code, coder: EventCoder) -> None:
    text = "A boy was killed by a shell in al-Fardous neighbourhood in western Aleppo on Monday."
    assert place_of(code, coder, text, "killed") == "al-Fardous"


def test_an_unknown_stadium_is_finer_than_its_city(code: Code, coder: EventCoder) -> None:
    text = "A car bomb exploded near al-Wahda Stadium in northern Mosul late on Sunday."
    assert place_of(code, coder, text, "exploded") == "al-Wahda Stadium"


def test_a_description_the_recogniser_calls_a_place_is_no_name(
    code: Code, coder: EventCoder
) -> None:
    text = "Coast guard boats will patrol Ghana's west coast to stop the smugglers."
    assert place_of(code, coder, text, "patrol") == "Ghana"


def test_a_district_secured_is_where(code: Code, coder: EventCoder) -> None:
    text = "Government troops fully secured the Bab Al-Nasr district after a long siege."
    assert place_of(code, coder, text, "secured") == "Bab Al-Nasr"


def test_a_named_palace_is_finer_than_its_city(code: Code, coder: EventCoder) -> None:
    text = "Kolongo Palace, the guards' main barracks in Bangui, was captured by rebels on Sunday."
    assert place_of(code, coder, text, "captured") == "Kolongo Palace"


def test_the_hour_is_no_place(code: Code, coder: EventCoder) -> None:
    text = "Fighters stormed the checkpoint at 5 A.M., witnesses said."
    assert place_of(code, coder, text, "stormed") is None


def test_a_state_inside_an_organisations_name_names_no_place(code: Code, coder: EventCoder) -> None:
    text = "Warplanes struck the Islamic State of Iraq and Al-Sham's depots on Monday."
    assert place_of(code, coder, text, "struck") is None


def test_a_community_is_a_village(code: Code, coder: EventCoder) -> None:
    text = "Herdsmen attacked Ukpo-Mbaa, a farming community in Benue State, killing seven."
    assert place_of(code, coder, text, "attacked") == "Ukpo-Mbaa"


def test_the_country_that_leads_or_backs_a_side_is_no_place(code: Code, coder: EventCoder) -> None:
    text = "Yesterday, a US-led coalition air strike targeted an insurgent convoy."
    assert place_of(code, coder, text, "targeted") is None


def test_a_sea_contains_the_island_it_names(code: Code, coder: EventCoder) -> None:
    """A sea has no administrative level, but it names where an island is, not the scene."""
    text = "Eritrean troops captured the Red Sea island of Greater Hanish after three days."
    assert place_of(code, coder, text, "captured") == "Greater Hanish"


def test_a_town_is_finer_than_the_sea_beside_it(code: Code, coder: EventCoder) -> None:
    text = "A drone boat exploded in the Black Sea off Odesa on Tuesday, the navy said."
    assert place_of(code, coder, text, "exploded") == "Odesa"


def test_a_village_the_gazetteer_lacks_is_the_place_within_its_area(
    code: Code, coder: EventCoder
) -> None:
    text = "Police said gunmen killed two farmers in Kotmirpur, a village outside Karachi."
    done = code(text)
    [event] = [e for e in done.events if e.trigger.start == text.index("killed")]
    assert event.place is not None and event.place.text == "Kotmirpur"  # not Karachi
    # the village's own point is unknown: the place carries its area's (geo.unlisted)
    assert (event.place.country, event.place.admin1) == ("PAK", "Sindh")
    assert event.place.geonameid is None and event.place.precision in ("admin1", "admin2")
