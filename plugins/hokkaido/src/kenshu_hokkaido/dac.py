"""The OECD DAC List of ODA Recipients as a dated table: which countries count as
"developing" on a given day (the technical trainees' arrival date).

Source: the OECD, "DAC List of ODA Recipients" (the list for reporting on 2024 and 2025
flows) and "History of DAC Lists of aid recipient countries" for the dates countries left:

* https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html
* https://www.oecd.org/development/financing-sustainable-development/historyofdaclistsofaidrecipientcountries.htm
* https://www.oecd.org/dac/financing-sustainable-development/development-finance-standards/daclist.htm

The DAC revises the list every three years; a list applies to a calendar year's flows, so a
country that graduates "as of 1 January 2018" is on the list up to 31 December 2017. The table
covers :data:`COVERS_FROM` to :data:`COVERS_UNTIL`; a date outside it is reported as not
covered (update the table) rather than judged.

Kept as a table here rather than a dependency: no maintained Python package publishes the
list, and it changes at most once a year.
"""

from __future__ import annotations

import datetime as dt

SOURCE = (
    "OECD DAC List of ODA Recipients (reporting on 2024 and 2025 flows) and its history of "
    "changes: https://www.oecd.org/en/topics/sub-issues/oda-eligibility-and-conditions/"
    "dac-list-of-oda-recipients.html"
)
#: The first day the table answers for: the list for reporting on 2014-2017 flows.
COVERS_FROM = dt.date(2014, 1, 1)
#: The last day: the list for 2026 flows (the 2026 triennial review sets 2027's).
COVERS_UNTIL = dt.date(2026, 12, 31)

_LEAST_DEVELOPED = (
    "AF AO BD BJ BF BI KH CF TD KM CD DJ ER ET GM GN GW HT KI LA LS LR MG MW ML MR MZ MM NP NE "
    "RW ST SN SL SB SO SS SD TZ TL TG TV UG YE ZM"
)
_OTHER_LOW_INCOME = "KP SY"
_LOWER_MIDDLE_INCOME = (
    "DZ BT BO CV CM CG CI EG SZ GH HN IN IR JO KE KG LB FM MN MA NI NG PK PG PH WS LK TJ TK TN "
    "UA UZ VU VN PS ZW"
)
_UPPER_MIDDLE_INCOME = (
    "AL AR AM AZ BY BZ BA BW BR CN CO CR CU DM DO EC SV GQ FJ GA GE GD GT GY ID IQ JM KZ XK LY "
    "MY MV MH MU MX MD ME MS NA NR NU MK PW PA PY PE SH LC VC RS ZA SR TH TO TR TM VE WF"
)
#: On the list for reporting on 2024 and 2025 flows (ISO 3166-1 alpha-2; XK is Kosovo).
ON_THE_LIST_2024 = frozenset(
    code
    for group in (_LEAST_DEVELOPED, _OTHER_LOW_INCOME, _LOWER_MIDDLE_INCOME, _UPPER_MIDDLE_INCOME)
    for code in group.split()
)

#: Countries that left the list within the table's span: code -> first day off the list.
LEFT: dict[str, dt.date] = {
    "CL": dt.date(2018, 1, 1),  # Chile, graduated in the 2017 review
    "SC": dt.date(2018, 1, 1),  # Seychelles
    "UY": dt.date(2018, 1, 1),  # Uruguay
    "CK": dt.date(2020, 1, 1),  # Cook Islands
    "AG": dt.date(2022, 1, 1),  # Antigua and Barbuda
    "NR": dt.date(2026, 1, 1),  # Nauru: graduation approved in 2023, effective 1 January 2026
}
# Montserrat: the DAC was to decide in October 2025 (effective 2026 if so); not known here,
# so it stays on the list.


def covers(day: dt.date) -> bool:
    """Whether the table answers for ``day``."""
    return COVERS_FROM <= day <= COVERS_UNTIL


def on_list(code: str, day: dt.date) -> bool | None:
    """Whether country ``code`` is on the DAC list in force on ``day``; None when the table
    does not cover ``day``."""
    if not covers(day):
        return None
    if code in LEFT:
        return day < LEFT[code]
    return code in ON_THE_LIST_2024


def left_on(code: str) -> dt.date | None:
    """The first day ``code`` was off the list, when it left within the table's span."""
    return LEFT.get(code)
