"""The six programmes of the Hokkaido International Exchange and Cooperation Center (HIECC).

Three are **events** with an audience (``enrolled=False``: a cohort is a fiscal year's
series of Activities), two are **outbound** study missions (Hokkaido residents sent to the
Cohort's destination country) and one is **inbound** (technical trainees commissioned by
the Hokkaido Government).
"""

from __future__ import annotations

from pathlib import Path

from kenshu import Programme

EXAMPLES = Path(__file__).parent / "examples"
ORGANISER = "Hokkaido International Exchange and Cooperation Center (HIECC)"

LECTURES = "hokkaido-lectures"
COURSE = "hokkaido-course"
SEMINARS = "hokkaido-seminars"
EXCHANGE_MISSION = "hokkaido-exchange-mission"
HIGHSCHOOL_MISSION = "hokkaido-highschool-mission"
TECHNICAL_TRAINEES = "hokkaido-technical-trainees"

EVENTS = (LECTURES, COURSE, SEMINARS)
MISSIONS = (EXCHANGE_MISSION, HIGHSCHOOL_MISSION)
CODES = (*EVENTS, *MISSIONS, TECHNICAL_TRAINEES)

EVENT_SHEETS = ("cohort", "activities", "costs", "settings")


def latin_name(p) -> str:
    """The participant's family and given names, as given (empty when neither is)."""
    return " ".join(x for x in (p.family_name, p.given_name) if x)


def examples(code: str) -> tuple[str, ...]:
    """The example workbooks shipped for ``code`` (``examples/CODE-*.xlsx``)."""
    return tuple(str(p) for p in sorted(EXAMPLES.glob(f"{code}-fy*.xlsx")))


def _programme(code: str, title: str, title_ja: str, **kw) -> Programme:
    return Programme(
        code=code,
        title=title,
        title_ja=title_ja,
        organiser=ORGANISER,
        examples=examples(code),
        **kw,
    )


PROGRAMMES = (
    _programme(
        LECTURES,
        "Lectures for international understanding (HIECC)",
        "国際理解講座(市町村との共催)",
        direction="local",
        enrolled=False,
        description="Lectures held with Hokkaido municipalities: each with a date, municipality, "
        "lecturer, theme and attendance; totalled by municipality and theme for the fiscal year.",
        sheets=EVENT_SHEETS,
        required_sheets=("cohort", "activities"),
        required_fields=(
            "activities.date",
            "activities.municipality",
            "activities.lecturer",
            "activities.theme",
        ),
    ),
    _programme(
        COURSE,
        "International Understanding Course for global citizens (HIECC)",
        "地球市民のための国際理解講座",
        direction="local",
        enrolled=False,
        description="A series of sessions on international understanding, exchange, cooperation "
        "and multicultural society, by lecturers from within and beyond Hokkaido, held with "
        "municipalities and local international exchange organisations.",
        sheets=EVENT_SHEETS,
        required_sheets=("cohort", "activities"),
        required_fields=("activities.date", "activities.lecturer", "activities.theme"),
    ),
    _programme(
        SEMINARS,
        "Seminars promoting international cooperation (HIECC)",
        "国際協力推進セミナー",
        direction="local",
        enrolled=False,
        description="Seminars on developing countries and international cooperation, given by "
        "lecturers who took part in cooperation activities.",
        sheets=EVENT_SHEETS,
        required_sheets=("cohort", "activities"),
        required_fields=("activities.date", "activities.lecturer", "activities.theme"),
    ),
    _programme(
        EXCHANGE_MISSION,
        "International Exchange Study Mission (HIECC)",
        "国際交流研修派遣",
        direction="outbound",
        description="Hokkaido residents, mainly youths, sent to the destination country for "
        "on-site observation and exchange: selection, pre-departure training, the mission "
        "abroad, a report.",
        sheets=("cohort", "participants", "phases", "costs", "settings"),
        required_sheets=("cohort", "participants"),
        required_fields=("participants.date_of_birth", "participants.home_region"),
    ),
    _programme(
        HIGHSCHOOL_MISSION,
        "International Cooperation Study Mission for high-school students (HIECC)",
        "高校生・アジアの架け橋養成事業(国際協力研修派遣)",
        direction="outbound",
        description="Students of Hokkaido high schools: interview (June), two pre-trainings, "
        "8 days of field training abroad, two post-trainings, then report sessions at Hokkaido "
        "schools between November and March.",
        sheets=(
            "cohort",
            "participants",
            "phases",
            "follow_ups",
            "attendance",
            "costs",
            "settings",
        ),
        required_sheets=("cohort", "participants"),
        required_fields=("participants.home_region", "participants.home_organisation"),
    ),
    _programme(
        TECHNICAL_TRAINEES,
        "Overseas technical trainees, commissioned by the Hokkaido Government (HIECC)",
        "北海道海外技術研修員受入事業",
        direction="inbound",
        description="Trainees from developing countries (the OECD DAC list), mainly South "
        "America, for 6-9 months: Japanese language, then technical training at host "
        "institutions; the prefecture pays travel and stay.",
        sheets=("cohort", "participants", "hosts", "phases", "costs", "settings"),
        required_sheets=("cohort", "participants", "hosts"),
        required_fields=(
            "participants.nationality",
            "participants.arrival_date",
            "participants.departure_date",
        ),
    ),
)
