"""The settings of the six programmes: every number a rule uses, with where it comes from.

Each programme declares only the settings its rules read (``kenshu schema CODE`` lists
them); a setting with the same id in two programmes has the same meaning in both.
"""

from __future__ import annotations

from kenshu import Setting

from kenshu_hokkaido import programmes as P

SEED_004 = (
    "seed 004 (HIECC programme catalogue, http://www.hiecc.or.jp/english/kokusaikoryu_E.html)"
)
FISCAL_YEAR = "the Japanese public fiscal year, April to March (Public Finance Act, art. 11)"
HIGH_SCHOOL_2016 = (
    "HIECC, high-school international cooperation study mission, FY2016 guidelines "
    "(https://expydoc.com/doc/9505148/)"
)
TRAINEES_DEFAULT = (
    "default: no HIECC source states it; comparable prefectural programmes (Aomori, Nagasaki, "
    "Kochi, Fukui: sources.md 4.4) run about 6-9 months with the prefecture paying travel and stay"
)

FISCAL_YEAR_START = Setting(
    "fiscal_year_start",
    (4, 1),
    "First day (MM-DD) of the fiscal year a cohort's events and missions are counted in.",
    FISCAL_YEAR,
    type="month_day",
)
COURSE_THEMES = Setting(
    "course_themes",
    (
        "international understanding",
        "international exchange",
        "international cooperation",
        "multicultural society",
    ),
    "The themes of the International Understanding Course; a session with another theme is a warning.",
    SEED_004,
    type="list",
)
YOUTH_MIN_AGE = Setting(
    "youth_min_age",
    15,
    "Youngest age, on the departure date, of the mission's youth band (mainly youths: outside it is a warning).",
    "default: seed 004 says 'mainly youths' and states no ages",
)
YOUTH_MAX_AGE = Setting(
    "youth_max_age",
    39,
    "Oldest age, on the departure date, of the mission's youth band.",
    "default: seed 004 says 'mainly youths' and states no ages",
)
REPORT_DUE_DAYS = Setting(
    "report_due_days",
    30,
    "Days after the return by which a mission member's report is due (planned when not given).",
    "default: no source states a deadline",
)
FIELD_TRAINING_DAYS = Setting(
    "field_training_days",
    8,
    "Days of field training abroad, both ends included (the Cohort's start and end dates).",
    HIGH_SCHOOL_2016 + ": 31 Jul - 7 Aug 2016",
)
INTERVIEW_MONTH = Setting(
    "interview_month",
    6,
    "Month of the selection interview (an interview in another month is a warning).",
    HIGH_SCHOOL_2016 + ": week of 6 June",
)
PRE_TRAININGS = Setting(
    "pre_trainings",
    2,
    "Pre-trainings before the field training.",
    HIGH_SCHOOL_2016 + ": 25-26 Jun and 9-10 Jul",
)
POST_TRAININGS = Setting(
    "post_trainings",
    2,
    "Post-trainings after the field training.",
    HIGH_SCHOOL_2016 + ": 3-4 Sep and 1 Oct",
)
REPORT_SESSIONS_FROM = Setting(
    "report_sessions_from",
    (11, 1),
    "First day (MM-DD) of the window for report sessions at Hokkaido schools, after the field training.",
    HIGH_SCHOOL_2016 + ": November to March",
    type="month_day",
)
REPORT_SESSIONS_TO = Setting(
    "report_sessions_to",
    (3, 31),
    "Last day (MM-DD) of the window for report sessions (in the following year).",
    HIGH_SCHOOL_2016 + ": November to March",
    type="month_day",
)
MIN_REPORT_SESSIONS = Setting(
    "min_report_sessions",
    1,
    "Report sessions each student gives at least.",
    HIGH_SCHOOL_2016 + ": each student reports at schools",
)
MIN_MONTHS = Setting(
    "min_months",
    6,
    "Shortest stay of a technical trainee, in calendar months, both ends inclusive.",
    TRAINEES_DEFAULT,
)
MAX_MONTHS = Setting(
    "max_months",
    9,
    "Longest stay of a technical trainee, in calendar months, both ends inclusive.",
    TRAINEES_DEFAULT,
)
LANGUAGE_MONTHS = Setting(
    "language_training_months",
    1,
    "Months of Japanese language training from arrival, before technical training at the host.",
    "default: comparable prefectures give 2 weeks (Nagasaki) to 2 months (Fukui): sources.md 4.4",
)
PREFECTURE_PAYS = Setting(
    "prefecture_pays_items",
    ("airfare", "domestic_travel", "accommodation", "living_allowance", "insurance", "training"),
    "Cost items the Hokkaido Government pays for a technical trainee (travel and stay); other items are a warning.",
    TRAINEES_DEFAULT,
    type="list",
)
SOUTH_AMERICA = Setting(
    "south_america",
    ("AR", "BO", "BR", "CL", "CO", "EC", "GY", "PE", "PY", "SR", "UY", "VE"),
    "Countries counted as South America in the report (trainees come mainly from there; others are fine).",
    "UN M49 region South America (419/005), independent states",
    type="list",
)

BY_PROGRAMME: dict[str, tuple[Setting, ...]] = {
    P.LECTURES: (FISCAL_YEAR_START,),
    P.COURSE: (FISCAL_YEAR_START, COURSE_THEMES),
    P.SEMINARS: (FISCAL_YEAR_START,),
    P.EXCHANGE_MISSION: (FISCAL_YEAR_START, YOUTH_MIN_AGE, YOUTH_MAX_AGE, REPORT_DUE_DAYS),
    P.HIGHSCHOOL_MISSION: (
        FISCAL_YEAR_START,
        FIELD_TRAINING_DAYS,
        INTERVIEW_MONTH,
        PRE_TRAININGS,
        POST_TRAININGS,
        REPORT_SESSIONS_FROM,
        REPORT_SESSIONS_TO,
        MIN_REPORT_SESSIONS,
    ),
    P.TECHNICAL_TRAINEES: (
        FISCAL_YEAR_START,
        MIN_MONTHS,
        MAX_MONTHS,
        LANGUAGE_MONTHS,
        PREFECTURE_PAYS,
        SOUTH_AMERICA,
    ),
}
