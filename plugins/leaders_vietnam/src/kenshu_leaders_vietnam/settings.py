"""The settings of the Vietnamese local leaders programme: every number its rules use,
with where it comes from."""

from __future__ import annotations

import datetime as dt

from kenshu import Setting

from kenshu_leaders_vietnam.provinces import SOURCE_AFTER

JICA = "JICA project 201905203 pages (https://www.jica.go.jp/oda/project/201905203/)"
SEED_000 = "seed 000 (JICA report on the 4th programme)"
EDITIONS = JICA + ": editions 1-5, 28 days each; " + SEED_000
LEVELS = JICA + ": 局長級・副局長級・課長級 (director general, deputy director general, director)"
SEMINAR = (
    "default: 'a few months after' (JICA 20230902); seminars were held 3-5 months after "
    "the later cohort they served (JICA 20231106, 1563202_56139)"
)
COSTS = (
    "default (inference: a JICA technical-cooperation project; no source states the payer "
    "for this course, sources.md §2.6)"
)
ITINERARY = (
    "default (the content and order of seed 000 and JICA 20230610; block lengths are kenshu's)"
)

SETTINGS = (
    Setting(
        "programme_days",
        28,
        "Length of every edition in days, first and last day included.",
        EDITIONS,
    ),
    Setting(
        "eligible_nationalities",
        ("VN",),
        "Nationalities (ISO codes) of eligible participants.",
        SEED_000 + ": young leaders of Vietnamese provinces and central cities",
        type="list",
    ),
    Setting(
        "eligible_organisation_types",
        ("local_government",),
        "Organisation types of eligible participants (a provincial-level government).",
        SEED_000 + "; " + JICA,
        type="list",
    ),
    Setting(
        "eligible_position_levels",
        ("director_general", "deputy_director_general", "director"),
        "Position levels of eligible participants.",
        LEVELS,
        type="list",
    ),
    Setting(
        "reorganisation_date",
        dt.date(2025, 7, 1),
        "First day of the 34 provincial-level units; cohorts starting earlier use the 63 before.",
        SOURCE_AFTER,
        type="date",
    ),
    Setting(
        "opening_days",
        2,
        "Days of arrival, orientation and opening at the start of a planned itinerary.",
        ITINERARY,
    ),
    Setting(
        "lecture_block_days",
        5,
        "Days of each lecture block of a planned itinerary (blocks alternate with site visits).",
        ITINERARY,
    ),
    Setting(
        "site_visit_block_days",
        5,
        "Days of each site-visit block of a planned itinerary.",
        ITINERARY,
    ),
    Setting(
        "final_report_days",
        1,
        "Days of the final report session, just before the closing, in a planned itinerary.",
        ITINERARY,
    ),
    Setting(
        "closing_days",
        1,
        "Days of the closing ceremony at the end of a planned itinerary.",
        ITINERARY,
    ),
    Setting(
        "closing_days_before_end",
        1,
        "The closing ceremony is on the last day or at most this many days before it.",
        JICA
        + " (closing ceremony with certificates at the end of the course); the margin is a default",
    ),
    Setting(
        "report_activity_kinds",
        ("report_presentation", "final_report_session"),
        "Activity kinds at which a participant presents their report (Attendance rows link them).",
        SEED_000 + "; JICA 20230610 (each trainee presents a report)",
        type="list",
    ),
    Setting(
        "closing_activity_kinds",
        ("closing_ceremony",),
        "Activity kinds that are the closing ceremony.",
        SEED_000,
        type="list",
    ),
    Setting(
        "seminar_from_months",
        2,
        "A follow-up seminar is due at least this many months after the end of the latest cohort it serves.",
        SEMINAR,
    ),
    Setting(
        "seminar_to_months",
        6,
        "A follow-up seminar is due at most this many months after the end of the latest cohort it serves.",
        SEMINAR,
    ),
    Setting(
        "seminar_location",
        "Hanoi",
        "Where a follow-up seminar is planned when the FollowUps sheet gives none.",
        "JICA 20231106 and 1563202_56139: both seminars so far were in Hanoi",
        type="text",
    ),
    Setting(
        "cohort_ends",
        (),
        "Last days of other cohorts a seminar may serve, as cohort_id=YYYY-MM-DD; "
        "they add to (and win over) the documented editions.",
        "default (none: the documented editions are in the plugin)",
        type="list",
    ),
    Setting(
        "payer",
        "japanese_implementing_side",
        "Who pays the items in payer_items.",
        COSTS,
        type="text",
    ),
    Setting(
        "payer_items",
        ("airfare", "accommodation", "training", "domestic_travel", "living_allowance"),
        "Cost items the payer bears: international travel, accommodation, the programme "
        "(with its travel in Japan) and the per diem in Japan.",
        COSTS,
        type="list",
    ),
)
