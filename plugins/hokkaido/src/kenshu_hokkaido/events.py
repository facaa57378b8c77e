"""The three events programmes (lectures, the course, seminars): a fiscal year's events
with an audience. The core totals events and attendance; these rules add the fiscal year,
the course's themes and the seminars' lecturers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from kenshu import CohortData, Finding, ReportSheet, Settings

from kenshu_hokkaido import programmes as P
from kenshu_hokkaido.fiscal import describe, describe_ja, fiscal_year
from kenshu_hokkaido.settings import FISCAL_YEAR_START

#: The course's themes in Japanese, as staff write them.
THEMES_JA = {
    "国際理解": "international understanding",
    "国際交流": "international exchange",
    "国際協力": "international cooperation",
    "多文化共生": "multicultural society",
}
LECTURER_BASED_JA = {"hokkaido": "道内", "elsewhere_in_japan": "道外", "abroad": "海外"}


def cohort_fiscal_year(data: CohortData, settings: Settings) -> int | None:
    """The fiscal year of the cohort: the one its start date falls in."""
    cohort = data.cohort
    if cohort is None or cohort.start_date is None:
        return None
    return fiscal_year(
        cohort.start_date, settings.get("fiscal_year_start", FISCAL_YEAR_START.default)
    )


def check_fiscal_year(data: CohortData, settings: Settings) -> Iterator[Finding]:
    """A cohort is one fiscal year: it does not span two, and every event falls in it."""
    cohort = data.cohort
    start = settings["fiscal_year_start"]
    year = cohort_fiscal_year(data, settings)
    if year is None:
        return
    if cohort.end_date is not None and fiscal_year(cohort.end_date, start) != year:
        yield data.error(
            "hokkaido.cohort-spans-fiscal-years",
            f"the cohort runs from {cohort.start_date} to {cohort.end_date}, beyond "
            f"{describe(year, start)}: a cohort is one fiscal year's events",
            ja=f"コホートの期間({cohort.start_date}〜{cohort.end_date})が"
            f"{describe_ja(year, start)}を越えています。コホートは1年度分の催しです",
            record=cohort,
            field="end_date",
        )
    for activity in data.activities:
        if activity.date is None:
            continue
        other = fiscal_year(activity.date, start)
        if other != year:
            yield data.error(
                "hokkaido.event-outside-fiscal-year",
                f"the event on {activity.date} falls in FY{other}, not in this cohort's "
                f"{describe(year, start)}",
                ja=f"{activity.date}の催しは{other}年度です。このコホートは"
                f"{describe_ja(year, start)}です",
                record=activity,
                field="date",
            )


def check(code: str, data: CohortData, settings: Settings) -> Iterator[Finding]:
    yield from check_fiscal_year(data, settings)
    for activity in data.activities:
        if activity.attendance is None and "attendance" not in activity.invalid:
            yield data.warning(
                "hokkaido.attendance-missing",
                "no attendance given: the event counts in the totals, its audience does not",
                ja="参加者数が記入されていません。催しの件数には数えますが、参加者数の合計には"
                "含まれません",
                record=activity,
                field="attendance",
            )
    if code == P.COURSE:
        yield from _course_themes(data, settings)
    if code == P.SEMINARS:
        yield from _seminar_lecturers(data)


def course_theme(text: str | None) -> str | None:
    """The course theme ``text`` names (English or Japanese), or None."""
    if not text:
        return None
    key = " ".join(text.split()).casefold()
    for ja, en in THEMES_JA.items():
        if ja in text:
            return en
    return key


def _course_themes(data: CohortData, settings: Settings) -> Iterator[Finding]:
    themes = [t.casefold() for t in settings["course_themes"]]
    for activity in data.activities:
        if activity.theme and course_theme(activity.theme) not in themes:
            yield data.warning(
                "hokkaido.course-theme-unknown",
                f"theme {activity.theme!r} is not one of the course's themes ({'; '.join(themes)})",
                ja=f"テーマ「{activity.theme}」は講座のテーマ(国際理解・国際交流・国際協力・"
                "多文化共生)のいずれでもありません",
                record=activity,
                field="theme",
            )


def _seminar_lecturers(data: CohortData) -> Iterator[Finding]:
    for activity in data.activities:
        if data.value(activity, "lecturer_cooperation") is not True:
            state = (
                "no cooperation experience is recorded"
                if data.value(activity, "lecturer_cooperation") is None
                else "has not taken part in cooperation activities"
            )
            yield data.warning(
                "hokkaido.lecturer-without-cooperation-experience",
                f"lecturer {activity.lecturer or '(not named)'}: {state} (rule: seminars are "
                "given by people who took part in international cooperation)",
                ja=f"講師「{activity.lecturer or '(未記入)'}」に国際協力活動の経験が記録されて"
                "いません(要件: セミナーは国際協力活動に参加した経験のある人が講師を務めます)",
                record=activity,
                field="lecturer_cooperation",
            )


def summary(code: str, data: CohortData, report, settings: Settings) -> list[str]:
    year = cohort_fiscal_year(data, settings)
    start = settings["fiscal_year_start"]
    ja = getattr(report, "lang", "en") == "ja"
    lines = []
    if year is not None:
        lines.append(f"{describe_ja(year, start)}の実績。" if ja else f"{describe(year, start)}.")
    totals = report.event_totals()
    themes = [t for t in totals["by_theme"] if t["theme"]]
    if themes:
        top = max(themes, key=lambda t: (t["attendance"], t["events"]))
        lines.append(
            f"テーマ{len(themes)}件。参加者が最も多いテーマ: {top['theme']}({top['attendance']:,}人)。"
            if ja
            else f"{len(themes)} theme(s); the largest audience: {top['theme']} ({top['attendance']:,})."
        )
    if code == P.COURSE:
        based = Counter(data.value(a, "lecturer_based") for a in data.activities)
        if ja:
            lines.append(
                "講師: "
                + "、".join(f"{LECTURER_BASED_JA[k]}{based[k]}人" for k in LECTURER_BASED_JA)
                + (f"、拠点未記入{based[None]}人" if based[None] else "")
                + "。"
            )
        else:
            lines.append(
                f"Lecturers: {based['hokkaido']} from Hokkaido, {based['elsewhere_in_japan']} "
                f"from elsewhere in Japan, {based['abroad']} from abroad"
                + (f", {based[None]} not stated" if based[None] else "")
                + "."
            )
    if code == P.SEMINARS:
        with_experience = sum(
            1 for a in data.activities if data.value(a, "lecturer_cooperation") is True
        )
        lines.append(
            f"国際協力の経験がある講師によるセミナー: {len(data.activities)}回中{with_experience}回。"
            if ja
            else f"{with_experience} of {len(data.activities)} seminar(s) given by lecturers "
            "who took part in international cooperation."
        )
    return lines


def sheets(code: str, data: CohortData) -> list[ReportSheet]:
    if code == P.COURSE:
        return [
            ReportSheet(
                "Course sessions",
                (
                    "activity_id",
                    "date",
                    "theme",
                    "lecturer",
                    "lecturer_based",
                    "partners",
                    "attendance",
                ),
                [
                    (
                        a.activity_id,
                        a.date,
                        a.theme,
                        a.lecturer,
                        data.value(a, "lecturer_based"),
                        "; ".join(data.value(a, "partners") or ()),
                        a.attendance,
                    )
                    for a in data.activities
                ],
                key="course_sessions",
            )
        ]
    if code == P.SEMINARS:
        return [
            ReportSheet(
                "Seminar lecturers",
                ("activity_id", "date", "lecturer", "cooperation", "experience", "attendance"),
                [
                    (
                        a.activity_id,
                        a.date,
                        a.lecturer,
                        {True: "yes", False: "no"}.get(data.value(a, "lecturer_cooperation")),
                        data.value(a, "lecturer_experience"),
                        a.attendance,
                    )
                    for a in data.activities
                ],
                key="seminar_lecturers",
            )
        ]
    return []
