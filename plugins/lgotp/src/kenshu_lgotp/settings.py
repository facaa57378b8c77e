"""LGOTP's settings: every number its rules use, with where it comes from."""

from __future__ import annotations

from kenshu import Setting

SEED_001 = "seed 001 (CLAIR training outline)"
SEED_002 = "seed 002 (CLAIR programme description)"
# Seed 002 states the routes; no other public source found confirms them.
LAT_ROUTE = SEED_002 + "; not confirmed by any other public source found"
# Seed 001 says mid-May, CLAIR's Japanese outline late May; the exact days are kenshu's reading.
ARRIVAL = SEED_001 + ": mid-May; CLAIR's Japanese outline: late May; the exact days are a default"

SETTINGS = (
    Setting(
        "min_months",
        6,
        "Shortest stay in Japan, in calendar months, both ends inclusive.",
        SEED_002,
    ),
    Setting(
        "max_months",
        12,
        "Longest stay in Japan, in calendar months, both ends inclusive.",
        SEED_002,
    ),
    Setting(
        "eligible_organisation_types",
        ("local_government",),
        "Organisation types whose employees are eligible (non-Japanese local governments).",
        SEED_002,
        type="list",
    ),
    Setting(
        "min_english_level",
        "B2",
        "Lowest CEFR English level that satisfies the spoken-language rule ('high-level spoken English').",
        "default (no source states a level)",
        type="text",
    ),
    Setting(
        "min_japanese_level",
        "N3",
        "Lowest JLPT level that satisfies the spoken-language rule (N1 is the highest).",
        "default (no source states a level)",
        type="text",
    ),
    Setting(
        "require_recommendation",
        True,
        "A recommendation from the trainee's own government is required.",
        "municipal rules based on the national guidelines (e.g. Nankoku City)",
        type="yes_no",
    ),
    Setting(
        "arrival_from",
        (5, 11),
        "Earliest usual arrival day (MM-DD); an arrival outside the window is a warning.",
        ARRIVAL,
        type="month_day",
    ),
    Setting(
        "arrival_to",
        (5, 31),
        "Latest usual arrival day (MM-DD).",
        ARRIVAL,
        type="month_day",
    ),
    Setting(
        "orientation_days",
        2,
        "Days of Tokyo orientation from the arrival day (placement test on the last).",
        SEED_001,
    ),
    Setting(
        "jiam_months", 1, "Months of JIAM training, from the day after the orientation.", SEED_001
    ),
    Setting("class_min_size", 6, "Smallest JIAM Japanese class.", SEED_001 + ": 6-8 per class"),
    Setting("class_max_size", 8, "Largest JIAM Japanese class.", SEED_001 + ": 6-8 per class"),
    Setting(
        "host_kinds",
        ("prefecture", "designated_city", "core_city", "city", "town", "village", "special_ward"),
        "Host kinds that may take a trainee (prefectures, designated cities, municipalities).",
        SEED_002,
        type="list",
    ),
    Setting(
        "host_borne_items",
        ("airfare", "accommodation", "training", "domestic_travel", "insurance"),
        "Cost items the host bears (round-trip airfare, accommodation, training costs, "
        "domestic travel; insurance is a typical host cost).",
        SEED_002 + "; insurance: municipal rules (Kasama City)",
        type="list",
    ),
    Setting(
        "ordinary_lat_host_kinds",
        ("prefecture",),
        "Host kinds reimbursed through the ordinary local allocation tax.",
        LAT_ROUTE,
        type="list",
    ),
    Setting(
        "special_lat_host_kinds",
        ("designated_city", "core_city", "city", "town", "village", "special_ward"),
        "Host kinds reimbursed through the special local allocation tax.",
        LAT_ROUTE,
        type="list",
    ),
    Setting(
        "last_fiscal_year",
        2025,
        "The programme ended with this Japanese fiscal year; later cohorts get a warning.",
        "CLAIR LGOTP page: ended with FY2025",
    ),
)
