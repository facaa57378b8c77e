"""JST's settings: every number and list its rules use, with where it comes from."""

from __future__ import annotations

from kenshu import Setting

SEED_003 = "seed 003 (JLGC's description of the Japan Study Tour)"
JLGC_ABOUT = "JLGC, About JLGC: the office's area (https://www.jlgc.org.uk/en/about-jlgc)"
JLGC_PROJECTS = (
    "JLGC, Projects and activities: a seven-day study tour for senior-level staff of local "
    "authorities and associated bodies (https://jlgc.org.uk/en/projects-and-activities)"
)
JST_2020_CALL = (
    "JLGC, JST 2020 call: deadline 30 September 2019 for the 19-25 January 2020 tour "
    "(https://jlgc.org.uk/en/news_letter/apply-now-for-japan-study-tour-2020-january-19-25)"
)
STRUCTURE = (
    "JLGC, JST 2020 call and seed 003: orientation at CLAIR Tokyo, Tokyo site visits, then the "
    "host city; the number of days of each is a kenshu default"
)
COSTS = (
    "JLGC, JST 2019 report: participants funded themselves, CLAIR covered the costs of staying "
    "in Japan (https://www.jlgc.org.uk/en/news_letter/7909/); the items are a kenshu reading"
)
FOLLOW_UP = (
    "seed 003: a feedback session in London after the tour (6 March 2020, Japan House London, "
    "after the January tour); the 1-3 month window is the project's (issue 4)"
)

#: The ISO 3166 codes of the countries JLGC London covers.
COUNTRIES = ("GB", "IE", "AT", "DK", "FI", "DE", "NL", "NO", "SE")

SETTINGS = (
    Setting(
        "tour_days",
        7,
        "Length of a tour in days, first and last day included.",
        JLGC_PROJECTS,
    ),
    Setting(
        "max_participants",
        10,
        "Most participants a tour takes before a warning (about 8 is usual).",
        "default (about 8 a tour: seed 003 and the JST 2019 report; no cap found)",
    ),
    Setting(
        "countries",
        COUNTRIES,
        "ISO 3166 alpha-2 codes of the countries whose participants are eligible (the countries "
        "JLGC London covers).",
        JLGC_ABOUT,
        type="list",
    ),
    Setting(
        "senior_levels",
        ("senior_executive", "director", "deputy_director_general", "director_general"),
        "Position levels that count as senior (eligible).",
        JLGC_PROJECTS + "; which levels are senior is kenshu's reading",
        type="list",
    ),
    Setting(
        "warning_levels",
        ("manager",),
        "Position levels accepted with a warning (other levels not listed as senior are errors).",
        "default (no source lists the grades)",
        type="list",
    ),
    Setting(
        "eligible_organisation_types",
        ("local_government", "public_body"),
        "Organisation types whose staff are eligible (local authorities and associated public "
        "bodies).",
        JLGC_PROJECTS,
        type="list",
    ),
    Setting(
        "application_deadline",
        (9, 30),
        "When the Cohort sheet gives no Application deadline: this day (MM-DD) in the last "
        "year before the tour's start.",
        JST_2020_CALL,
        type="month_day",
    ),
    Setting(
        "orientation_days",
        1,
        "Days of orientation on Japanese local government at CLAIR's Tokyo headquarters, from "
        "the first day of the tour.",
        STRUCTURE,
    ),
    Setting(
        "tokyo_visit_days",
        2,
        "Days of site visits in Tokyo after the orientation; the host city has the rest of the "
        "tour.",
        STRUCTURE,
    ),
    Setting(
        "participant_paid_items",
        ("airfare",),
        "Cost items the participant (or their employer) pays: international travel.",
        COSTS,
        type="list",
    ),
    Setting(
        "clair_paid_items",
        ("accommodation", "domestic_travel", "training", "living_allowance"),
        "Cost items CLAIR pays: the costs of staying in Japan.",
        COSTS,
        type="list",
    ),
    Setting(
        "feedback_location",
        "London",
        "Where the feedback session takes place (a given session's location must name it).",
        FOLLOW_UP,
        type="text",
    ),
    Setting(
        "feedback_min_months",
        1,
        "The feedback session is at least this many months after the tour's last day.",
        FOLLOW_UP,
    ),
    Setting(
        "feedback_max_months",
        3,
        "The feedback session is at most this many months after the tour's last day.",
        FOLLOW_UP,
    ),
    Setting(
        "carry_over_statuses",
        ("selected", "placed"),
        "Participant statuses that count as accepted: `kenshu jst carry-over` carries these "
        "from a postponed tour to the next.",
        "default (no source; accepted = selected or placed)",
        type="list",
    ),
)
