"""Realistic LGOTP cohort workbooks for the benchmarks, at any size.

A cohort of N participants (Vietnamese, Filipino, Thai, Indonesian... officials, some with
Japanese names), N/20 Japanese host local governments with their Japanese names, one cost
line per participant, a few activities; about 1% of the rows carry the mistakes people make
(a date that does not exist, a level that is not a level, a score over 100, a bad e-mail, a
host that is not on the Hosts sheet, a repeated id, a row without its id). The workbook is
written the way kenshu writes a filled template, and the same cohort as kenshu's JSON.

Deterministic: the same size and seed give the same files.

    python bench/generate.py 10000 -o out/bench/cohort-10000.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

#: Bump when the generated content changes, so that cached files are made anew.
GENERATOR_VERSION = "2"

_VN_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
_VN_GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Thị Dung", "Quốc Huy", "Thu Hà", "Đức Long")
_VN_ASCII = {
    "Nguyễn": "Nguyen",
    "Trần": "Tran",
    "Lê": "Le",
    "Phạm": "Pham",
    "Hoàng": "Hoang",
    "Huỳnh": "Huynh",
    "Phan": "Phan",
    "Vũ": "Vu",
    "Võ": "Vo",
    "Đặng": "Dang",
    "Văn An": "Van An",
    "Thị Bình": "Thi Binh",
    "Minh Châu": "Minh Chau",
    "Thị Dung": "Thi Dung",
    "Quốc Huy": "Quoc Huy",
    "Thu Hà": "Thu Ha",
    "Đức Long": "Duc Long",
}
# Nikkei officials (Brazil, Peru) often carry Japanese names
_JA_NAMES = (
    ("Tanaka", "Yuki", "田中 ゆき"),
    ("Suzuki", "Kenji", "鈴木 健二"),
    ("Yamamoto", "Aiko", "山本 愛子"),
    ("Watanabe", "Hiroshi", "渡辺 博"),
    ("Sato", "Mariana", "佐藤 マリアナ"),
    ("Kobayashi", "Jorge", "小林 ホルヘ"),
)
_OTHER_NAMES = (
    ("PH", "Santos", "Maria Cristina", None),
    ("PH", "Reyes", "Jose Miguel", None),
    ("TH", "Srisawat", "Kanya", "กัญญา ศรีสวัสดิ์"),
    ("ID", "Wijaya", "Putri", None),
    ("MN", "Bat-Erdene", "Oyunchimeg", "Оюунчимэг Бат-Эрдэнэ"),
    ("KR", "Kim", "Min-jun", "김민준"),
    ("CN", "Wang", "Fang", "王芳"),
    ("IN", "Sharma", "Priya", None),
    ("LK", "Perera", "Nimal", None),
    ("GB", "Evans", "Sarah", None),
)
_REGIONS = {
    "VN": ("Đà Nẵng", "Huế", "Hải Phòng", "Cần Thơ"),
    "BR": ("São Paulo", "Paraná"),
    "PE": ("Lima",),
    "PH": ("Cebu", "Davao"),
    "TH": ("Chiang Mai",),
    "ID": ("Bali", "Yogyakarta"),
    "MN": ("Ulaanbaatar",),
    "KR": ("Busan",),
    "CN": ("Dalian",),
    "IN": ("Kerala",),
    "LK": ("Kandy",),
    "GB": ("Kent",),
}
_HOSTS = (
    ("Yokohama City", "横浜市", "designated_city", "神奈川県"),
    ("Kobe City", "神戸市", "designated_city", "兵庫県"),
    ("Kanagawa Prefecture", "神奈川県", "prefecture", "神奈川県"),
    ("Nankoku City", "南国市", "city", "高知県"),
    ("Kasama City", "笠間市", "city", "茨城県"),
    ("Kochi Prefecture", "高知県", "prefecture", "高知県"),
    ("Hakone Town", "箱根町", "town", "神奈川県"),
    ("Shirakawa Village", "白川村", "village", "岐阜県"),
    ("Setagaya Ward", "世田谷区", "special_ward", "東京都"),
    ("Kanazawa City", "金沢市", "core_city", "石川県"),
)
_FIELDS = ("Tourism", "Agriculture", "Disaster prevention", "Environment", "Education", "観光")
_POSITIONS = ("Officer", "Deputy Head of Division", "Planning Officer", "Engineer", "Director")
_LEVELS = ("staff", "manager", "senior_executive", "director")
_ITEMS = ("airfare", "accommodation", "training", "insurance", "domestic_travel")
_AMOUNTS = {
    "airfare": 180_000,
    "accommodation": 960_000,
    "training": 250_000,
    "insurance": 30_000,
    "domestic_travel": 45_000,
}
_MISTAKES = (
    ("date_of_birth", "1990-02-30"),  # not a real date
    ("english_level", "B3"),  # not a CEFR level
    ("placement_test_score", 150),  # over the maximum
    ("email", "nguyen.at.example.vn"),  # not an address
    ("arrival_date", "next May"),  # not a date
    ("gender", "unknown"),  # not a choice
)


def build(participants: int, seed: int = 2024):
    """A :class:`~kenshu.dataset.CohortData` of ``participants`` participants."""
    from kenshu.dataset import CohortData
    from kenshu.model import Activity, Cohort, CostLine, HostBody, Participant

    rng = random.Random(seed + participants)
    data = CohortData()
    data.metadata["programme"] = "lgotp"
    data.cohort = Cohort(
        programme="lgotp",
        cohort_id=f"lgotp-bench-{participants}",
        start_date=dt.date(2024, 5, 20),
        end_date=dt.date(2025, 5, 19),
        edition=31,
        title="LGOTP FY2024 (benchmark cohort)",
        theme="地域の観光と防災",
        status="in_progress",
        location="Tokyo, Otsu and host municipalities",
        funder="CLAIR",
    )
    host_count = max(2, participants // 20)
    for number in range(1, host_count + 1):
        name, name_ja, kind, prefecture = _HOSTS[number % len(_HOSTS)]
        data.hosts.append(
            HostBody(
                host_id=f"H{number:05d}",
                name=f"{name} ({number})" if number > len(_HOSTS) else name,
                name_ja=name_ja,
                kind=kind,
                prefecture=prefecture,
                country="JP",
                sister_cities=("Đà Nẵng", "Cebu") if number % 3 == 0 else (),
                wishes="研修員の受入を希望します" if number % 2 else None,
                wish_countries=("VN", "PH") if number % 2 else ("TH",),
                wish_fields=(_FIELDS[number % len(_FIELDS)],),
                capacity=40,
            )
        )
    for number in range(1, participants + 1):
        data.participants.append(_participant(rng, number, host_count, Participant))
        item = _ITEMS[number % len(_ITEMS)]
        data.costs.append(
            CostLine(
                cost_id=f"C{number:07d}",
                item=item,
                amount=_AMOUNTS[item] + rng.randrange(0, 10_000),
                currency="JPY",
                participant_id=f"P{number:07d}",
            )
        )
    _add_mistakes(rng, data, participants, Participant)
    for number, (kind, title) in enumerate(
        (
            ("ceremony", "Opening ceremony / 開講式"),
            ("lecture", "Local finance in Japan / 地方財政"),
            ("site_visit", "Disaster prevention centre / 防災センター視察"),
        ),
        start=1,
    ):
        data.activities.append(
            Activity(
                activity_id=f"A{number:03d}",
                kind=kind,
                date=dt.date(2024, 5, 20 + number),
                title=title,
                location="Tokyo",
            )
        )
    return data


def _participant(rng: random.Random, number: int, host_count: int, cls: type) -> Any:
    from kenshu.dates import months_end

    roll = rng.random()
    if roll < 0.55:
        country = "VN"
        family, given = rng.choice(_VN_FAMILY), rng.choice(_VN_GIVEN)
        latin = (_VN_ASCII[family], _VN_ASCII[given])
        native = f"{family} {given}"
    elif roll < 0.65:
        country = rng.choice(("BR", "PE"))
        family_latin, given_latin, native = rng.choice(_JA_NAMES)
        latin = (family_latin, given_latin)
    else:
        country, family_latin, given_latin, native = rng.choice(_OTHER_NAMES)
        latin = (family_latin, given_latin)
    arrival = dt.date(2024, 5, rng.randrange(11, 32))
    months = rng.choice((6, 9, 12))
    departure = months_end(arrival, months)
    english, japanese = rng.choice(
        (("B2", None), ("C1", None), ("B1", "N3"), ("A2", "N2"), ("C2", "N1"))
    )
    host = rng.randrange(1, host_count + 1)
    extra = {
        "placement_test_score": rng.randrange(0, 101),
        "recommended": rng.random() > 0.02,
        "field_of_training": rng.choice(_FIELDS),
        "leadership_evidence": "Led the city's disaster drill programme"
        if rng.random() > 0.1
        else None,
    }
    if rng.random() < 0.2:
        extra["nominated_by_host"] = f"H{host:05d}"
    return cls(
        participant_id=f"P{number:07d}",
        family_name=latin[0],
        given_name=latin[1],
        native_name=native,
        gender=rng.choice(("F", "M")),
        date_of_birth=dt.date(
            rng.randrange(1970, 2000), rng.randrange(1, 13), rng.randrange(1, 29)
        ),
        nationality=country,
        home_country=country,
        home_region=rng.choice(_REGIONS[country]),
        home_organisation=f"{rng.choice(_REGIONS[country])} People's Committee"
        if country == "VN"
        else f"{rng.choice(_REGIONS[country])} City Government",
        organisation_type="local_government" if rng.random() > 0.01 else "company",
        position=rng.choice(_POSITIONS),
        position_level=rng.choice(_LEVELS),
        email=f"{latin[1].split()[0].lower()}.{number}@example.gov",
        english_level=english,
        japanese_level=japanese,
        host_id=f"H{host:05d}",
        arrival_date=arrival,
        departure_date=departure,
        status="in_training",
        notes="食物アレルギーあり" if rng.random() < 0.05 else None,
        extra={k: v for k, v in extra.items() if v is not None},
    )


def _add_mistakes(rng: random.Random, data: Any, participants: int, cls: type) -> None:
    """About 1% of participants (more in small files) get one of the mistakes people make."""
    import attrs

    step = max(5, min(97, participants // 20))  # every kind of mistake, even in small files
    for number, index in enumerate(range(7, participants, step)):
        p = data.participants[index]
        kind = number % (len(_MISTAKES) + 3)
        if kind < len(_MISTAKES):
            field_id, raw = _MISTAKES[kind]
            changes: dict[str, Any] = {"invalid": {**p.invalid, field_id: raw}}
            if field_id in p.extra:
                changes["extra"] = {k: v for k, v in p.extra.items() if k != field_id}
            elif hasattr(p, field_id):
                changes[field_id] = None
            data.participants[index] = attrs.evolve(p, **changes)
        elif kind == len(_MISTAKES):
            data.participants[index] = attrs.evolve(p, host_id="H99999")  # not on Hosts
        elif kind == len(_MISTAKES) + 1:
            previous = data.participants[index - 1].participant_id
            data.participants[index] = attrs.evolve(p, participant_id=previous)  # repeated id
        else:
            row = {k: v for k, v in attrs.asdict(p).items() if v not in (None, {}, ())}
            row.pop("participant_id")
            row.update(row.pop("extra", {}))
            data.unkeyed_rows.setdefault("participants", []).append(row)  # no id
            data.participants[index] = None
    data.participants[:] = [p for p in data.participants if p is not None]


def data_rows(participants: int) -> int:
    """Data rows of a generated workbook, all sheets together (what rows/s counts)."""
    return participants + max(2, participants // 20) + participants + 3


def write(
    participants: int,
    xlsx: str | Path,
    json_path: str | Path | None = None,
    writer: str = "excel",
) -> None:
    """Write the cohort as a workbook (and as JSON when ``json_path`` is given).

    ``writer="excel"`` writes it as Excel saves a filled template (shared strings, a
    dimension element; with XlsxWriter), which is what people send; ``"kenshu"`` writes
    it with kenshu's own exporter (no XlsxWriter needed).
    """
    from kenshu.plugins import PluginRegistry
    from kenshu.serial import cohort_to_json, write_json

    data = build(participants)
    registry = PluginRegistry.discover()
    schema = registry.schema(registry.programme("lgotp"))
    if writer == "excel":
        write_like_excel(xlsx, data, schema)
    else:
        from kenshu.workbook.export import write_cohort_workbook

        write_cohort_workbook(xlsx, data, schema, lang="en")
    if json_path is not None:
        write_json(json_path, cohort_to_json(data))


def write_like_excel(path: str | Path, data: Any, schema: Any) -> None:
    """A filled kenshu template (English labels, the help and field id in each header's
    comment, the hidden ``_kenshu`` sheet) written with XlsxWriter as Excel writes files."""
    import xlsxwriter
    from kenshu import __version__
    from kenshu.catalogue import SHEETS_BY_ID

    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})

    def put(ws: Any, row: int, col: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), day)
        elif isinstance(value, bool):
            ws.write_string(row, col, "yes" if value else "no")
        elif isinstance(value, tuple | list):
            ws.write_string(row, col, "; ".join(str(v) for v in value))
        elif isinstance(value, str):
            ws.write_string(row, col, value)
        else:
            ws.write_number(row, col, value)

    def header(ws: Any, fields: list[Any]) -> None:
        for col, f in enumerate(fields):
            ws.write_string(0, col, f.label, bold)
            ws.write_comment(0, col, f"{f.help} id: {f.id}")
        ws.freeze_panes(1, 0)

    ws = book.add_worksheet(SHEETS_BY_ID["cohort"].label)
    ws.write_row(0, 0, ["Field", "Value"], bold)
    for row, f in enumerate(schema.fields["cohort"], start=1):
        ws.write_string(row, 0, f.label)
        put(ws, row, 1, data.value(data.cohort, f.id))
    for sheet_id in schema.template_sheets():
        fields = schema.fields[sheet_id]
        ws = book.add_worksheet(SHEETS_BY_ID[sheet_id].label)
        header(ws, fields)
        row = 0
        for record in data.records(sheet_id):
            row += 1
            for col, f in enumerate(fields):
                if f.id in record.invalid:
                    value = record.invalid[f.id]
                elif f.source == "core":
                    value = getattr(record, f.id)
                else:
                    value = record.extra.get(f.id)
                put(ws, row, col, value)
        for kept in data.unkeyed_rows.get(sheet_id, []):
            row += 1
            for col, f in enumerate(fields):
                put(ws, row, col, kept.get(f.id))
    header(book.add_worksheet(SHEETS_BY_ID["settings"].label), schema.fields["settings"])
    ws = book.add_worksheet("_kenshu")
    ws.hide()
    meta = [
        ("format", "kenshu-cohort"),
        ("format_version", "1"),
        ("programme", "lgotp"),
        ("kenshu_version", __version__),
        ("language", "en"),
    ]
    for row, (key, value) in enumerate(meta):
        ws.write_row(row, 0, [key, value])
    book.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("participants", type=int)
    parser.add_argument("-o", "--output", required=True, help="The .xlsx to write.")
    parser.add_argument("--json", help="Also write the cohort as kenshu JSON here.")
    parser.add_argument(
        "--writer",
        choices=("excel", "kenshu"),
        default="excel",
        help="excel: as Excel saves files (XlsxWriter); kenshu: kenshu's own exporter.",
    )
    args = parser.parse_args(argv)
    write(args.participants, args.output, args.json, args.writer)


if __name__ == "__main__":
    main()
