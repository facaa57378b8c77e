"""Regenerate the generated parts of README.md and docs/*.md from the code.

Everything between ``<!-- BEGIN generated: NAME -->`` and ``<!-- END generated: NAME -->``
is written by this script: the field tables (from :mod:`kenshu.catalogue`), the ``--help``
of every command, and transcripts of real commands run on small workbooks made in a
temporary folder. Run it after changing the code those parts come from::

    python docs/generate.py           # rewrite the files
    python docs/generate.py --check   # exit 1 if a file is out of date

``tests/test_docs.py`` fails when a generated part no longer matches the code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
import re
import shlex
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FILES = (
    "README.md",
    "docs/cli.md",
    "docs/hooks.md",
    "docs/plugin-guide.md",
    "docs/workbook-format.md",
    "docs/import-mapping.md",
)
MARKER = re.compile(
    r"(?P<begin><!-- BEGIN generated: (?P<name>[\w:.-]+) -->\n)"
    r"(?P<body>.*?)"
    r"(?P<end><!-- END generated: (?P=name) -->)",
    re.S,
)
#: Help is formatted for an 80-column terminal (click leaves a 2-column margin).
HELP_WIDTH = 78


# ---------------------------------------------------------------------------
# Markers


def render(text: str, generate: Callable[[str], str]) -> str:
    """``text`` with the body of every generated section replaced by ``generate(name)``."""

    def replace(match: re.Match[str]) -> str:
        body = generate(match["name"]).rstrip("\n") + "\n"
        return match["begin"] + body + match["end"]

    return MARKER.sub(replace, text)


def section_names(text: str) -> list[str]:
    """The names of the generated sections of ``text``, in order."""
    return [match["name"] for match in MARKER.finditer(text)]


def generate(name: str) -> str:
    """The Markdown for the generated section ``name``."""
    kind, _, argument = name.partition(":")
    if kind == "help":
        return fenced("text", help_text(argument or None))
    if kind == "sheets":
        return sheets_table()
    if kind == "fields":
        return fields_table(argument)
    if kind == "limits":
        return limits_table()
    if kind == "metadata":
        return fenced("text", metadata_example())
    if name in readme_transcripts():
        return readme_transcripts()[name]
    if name in guide_transcripts():
        return guide_transcripts()[name]
    if name in format_transcripts():
        return format_transcripts()[name]
    raise KeyError(f"no generator for section {name!r}")


def fenced(language: str, body: str) -> str:
    return f"```{language}\n{body.rstrip()}\n```"


# ---------------------------------------------------------------------------
# Running the command line


class Session:
    """Runs ``kenshu`` commands in one folder and keeps a console transcript of them.

    ``registry`` is a plugin registry to use, or a function of the disabled plugin names
    that builds one (default: :func:`repository_registry`).
    """

    def __init__(self, folder: Path, registry: Any = None) -> None:
        self.folder = folder
        self.registry = registry if registry is not None else repository_registry
        self.lines: list[str] = []

    def run(self, *args: str, show_exit: bool = False):
        """Run ``kenshu ARGS`` as the console script would; record command and output."""
        from click.testing import CliRunner
        from kenshu.cli.main import State, _disabled_from_argv, build_cli, cli

        argv = list(args)
        state = State(disabled=_disabled_from_argv(argv))
        registry = self.registry
        state._registry = registry(state.disabled) if callable(registry) else registry
        # The root group is module-level: keep only kenshu's own commands and those of the
        # registry's plugins, whatever else was added to it in this process.
        saved = dict(cli.commands)
        cli.commands = {
            name: command
            for name, command in saved.items()
            if getattr(command.callback, "__module__", None) == "kenshu.cli.main"
        }
        try:
            group = build_cli(state)
            with contextlib.chdir(self.folder):
                result = CliRunner().invoke(
                    group, argv, obj=state, prog_name="kenshu", terminal_width=HELP_WIDTH
                )
        finally:
            cli.commands = saved
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise RuntimeError(f"kenshu {shlex.join(argv)} crashed") from result.exception
        self.lines.append(f"$ kenshu {shlex.join(argv)}")
        self.lines.extend(result.output.rstrip("\n").splitlines())
        if show_exit:
            self.lines += ["$ echo $?", str(result.exit_code)]
        return result

    def cat(self, name: str) -> None:
        """Show a text file the commands wrote."""
        self.lines.append(f"$ cat {name}")
        self.lines.extend((self.folder / name).read_text(encoding="utf-8").rstrip().splitlines())

    def take(self) -> str:
        """The transcript since the last ``take``, as a console block."""
        text, self.lines = "\n".join(self.lines), []
        return fenced("console", text)


def repository_plugins() -> dict[str, str]:
    """``{plugin name: distribution}`` of the plugins under ``plugins/`` in this repository."""
    found = {}
    for pyproject in sorted(ROOT.glob("plugins/*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        for name in project.get("entry-points", {}).get("kenshu", {}):
            found[name] = project["name"]
    return found


def missing_repository_plugins() -> list[str]:
    """The repository's plugins that are not installed (the docs need them all)."""
    from importlib import metadata

    installed = {point.name for point in metadata.entry_points(group="kenshu")}
    return sorted(set(repository_plugins()) - installed)


def _normalised(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def repository_registry(disabled: tuple[str, ...] = ()):
    """The core and this repository's plugins only, so that the documented output does not
    depend on whatever else is installed."""
    from importlib import metadata

    from kenshu.plugins import PluginRegistry

    ours = repository_plugins()
    points = [
        point
        for point in metadata.entry_points(group="kenshu")
        if point.name in ours
        and point.dist is not None
        and _normalised(point.dist.name) == _normalised(ours[point.name])
    ]
    return PluginRegistry.discover(disabled=disabled, entry_points=points)


def help_text(command: str | None) -> str:
    """``kenshu [COMMAND] --help`` as printed on an 80-column terminal."""
    session = Session(Path.cwd())
    result = session.run(*([command] if command else []), "--help")
    return result.output


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="kenshu-docs-") as name:
        yield Path(name)


# ---------------------------------------------------------------------------
# Filling workbooks as staff do: by the labels of the template


def fill_workbook(
    template: Path,
    target: Path,
    cohort: Mapping[str, Any],
    tables: Mapping[str, list[Mapping[str, Any]]],
) -> None:
    """Copy ``template`` to ``target`` with the Cohort values and table rows filled in.

    Keys are the labels of the template's language (``"Participant ID"``).
    """
    import openpyxl

    book = openpyxl.load_workbook(template)
    form = book[book.sheetnames[0]]
    for row in form.iter_rows(min_row=2):
        if row[0].value in cohort:
            row[1].value = cohort[row[0].value]
    for sheet, records in tables.items():
        ws = book[sheet]
        header = [cell.value for cell in ws[1]]
        for offset, record in enumerate(records):
            for label, value in record.items():
                ws.cell(2 + offset, header.index(label) + 1, value)
    book.save(target)


# ---------------------------------------------------------------------------
# README: the LGOTP walk-through


LGOTP_COHORT = {
    "Cohort ID": "lgotp-2024",
    "Title": "LGOTP 2024",
    "Start date": dt.date(2024, 5, 14),
    "End date": dt.date(2025, 3, 31),
    "Status": "in_progress",
}
LGOTP_TABLES = {
    "Participants": [
        {
            "Participant ID": "P001",
            "Family name": "Nguyen",
            "Given name": "Lan",
            "Date of birth": dt.date(1990, 8, 2),
            "E-mail": "lan.nguyen@example.vn",
            "Nationality": "VN",
            "Home country": "VN",
            "Home organisation": "Da Nang City People's Committee",
            "Organisation type": "local_government",
            "English level (CEFR)": "B2",
            "Host ID": "H-SAP",
            "Arrival date": dt.date(2024, 5, 14),
            "Departure date": dt.date(2025, 3, 20),
            "Placement test score": 62,
            "Recommended by own government": "yes",
            "Field of training": "tourism",
            "Leadership evidence": "leads the city's tourism promotion team",
        },
        {
            "Participant ID": "P002",
            "Family name": "Santos",
            "Given name": "Maria",
            "Date of birth": "平成元年6月1日",
            "Nationality": "Philippines",
            "Home country": "PH",
            "Home organisation": "Cebu Provincial Government",
            "Organisation type": "local_government",
            "English level (CEFR)": "B1",
            "Host ID": "H-HOK",
            "Arrival date": dt.date(2024, 5, 14),
            "Departure date": dt.date(2024, 10, 31),
            "Placement test score": 35,
            "Recommended by own government": "no",
            "Field of training": "disaster prevention",
        },
    ],
    "Hosts": [
        {
            "Host ID": "H-SAP",
            "Name": "Sapporo City",
            "Name (Japanese)": "札幌市",
            "Kind": "designated_city",
            "Prefecture": "Hokkaido",
        },
        {
            "Host ID": "H-HOK",
            "Name": "Hokkaido Government",
            "Name (Japanese)": "北海道",
            "Kind": "prefecture",
            "Prefecture": "Hokkaido",
        },
    ],
    "Costs": [
        {
            "Cost ID": "C1",
            "Item": "airfare",
            "Amount": 180000,
            "Currency": "JPY",
            "Participant ID": "P001",
        },
        {
            "Cost ID": "C2",
            "Item": "accommodation",
            "Amount": 720000,
            "Currency": "JPY",
            "Participant ID": "P002",
        },
    ],
}


@cache
def readme_transcripts() -> dict[str, str]:
    """The README's console blocks, run with the installed plugins (lgotp)."""
    out: dict[str, str] = {}
    with scratch() as folder:
        s = Session(folder)
        s.run("programmes")
        s.run("plugins")
        out["readme-programmes"] = s.take()
        s.run("template", "lgotp", "-o", "lgotp-template.xlsx")
        s.run("template", "lgotp", "--lang", "ja", "-o", "lgotp-template-ja.xlsx")
        out["readme-template"] = s.take()
        fill_workbook(
            folder / "lgotp-template.xlsx", folder / "cohort-2024.xlsx", LGOTP_COHORT, LGOTP_TABLES
        )
        s.run(
            "validate",
            "cohort-2024.xlsx",
            "--annotate",
            "cohort-2024-checked.xlsx",
            show_exit=True,
        )
        out["readme-validate"] = s.take()
        s.run("validate", "cohort-2024.xlsx", "--set", "min_months=5", show_exit=True)
        out["readme-set"] = s.take()
        s.run("report", "cohort-2024.xlsx", "-o", "cohort-2024-report.xlsx")
        out["readme-report"] = s.take()
        s.run("convert", "cohort-2024.xlsx", "cohort-2024.json")
        s.run("convert", "cohort-2024.json", "cohort-2024-ja.xlsx", "--lang", "ja")
        s.run("validate", "cohort-2024-ja.xlsx")
        out["readme-convert"] = s.take()
        s.run("validate", "cohort-2024.xlsx", "--lang", "ja")
        s.run("convert", "cohort-2024.xlsx", "cohort-2024-wareki.xlsx", "--date-style", "wareki")
        out["readme-japanese"] = s.take()
        s.run("convert", "cohort-2024.xlsx", "cohort-2024-shared.xlsx", "--redact")
        out["readme-redact"] = s.take()
        out.update(exchange_transcripts(s, folder))
        (folder / "names.xlsx").write_text("name,country\nLan,VN\n", encoding="utf-8")
        s.run("validate", "names.xlsx", show_exit=True)
        s.run("convert", "cohort-2024.xlsx", "cohort-2024.xlsx", show_exit=True)
        out["readme-usage-errors"] = s.take()
        s.run("--disable-plugin", "lgotp", "validate", "cohort-2024.xlsx")
        out["readme-disable"] = s.take()
    return out


# Sapporo's copy of the cohort: a placement score that differs (a conflict), a position
# the office's copy lacks (taken), and a trainee of its own.
SAPPORO_TABLES = {
    "Participants": [
        {
            "Participant ID": "P001",
            "Position": "Tourism promotion officer",
            "Placement test score": 64,
        },
        {
            "Participant ID": "P003",
            "Family name": "Pham",
            "Given name": "Thu",
            "Nationality": "VN",
            "Home country": "VN",
            "Home organisation": "Hue City People's Committee",
            "Organisation type": "local_government",
            "English level (CEFR)": "B2",
            "Host ID": "H-SAP",
            "Arrival date": dt.date(2024, 5, 14),
            "Departure date": dt.date(2025, 3, 20),
            "Placement test score": 48,
            "Recommended by own government": "yes",
            "Field of training": "tourism",
            "Leadership evidence": "runs the city's heritage programme",
        },
    ],
}

ROSTER_MAPPING = """\
[cohort]
programme = "lgotp"
cohort_id = "lgotp-2025"

[[sheets]]
sheet = "研修員名簿"
into = "participants"

[sheets.columns]
participant_id = "番号"
family_name = "氏名/姓"
given_name = "氏名/名"
gender = "性別"
nationality = "国籍"
date_of_birth = "生年月日"

[sheets.values.nationality]
"ラオス" = "LA"
"""


def write_roster(path: Path) -> None:
    """A partner's own layout: a title, a two-row header with merged cells, Japanese
    column names, 男/女 and country names in Japanese."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "研修員名簿"
    ws["A1"] = "令和7年度 研修員名簿"
    ws.merge_cells("A1:G1")
    for column, text in zip("ADEFG", ["番号", "性別", "国籍", "生年月日", "備考"], strict=True):
        ws[f"{column}2"] = text
        ws.merge_cells(f"{column}2:{column}3")
    ws["B2"] = "氏名"
    ws.merge_cells("B2:C2")
    ws["B3"], ws["C3"] = "姓", "名"
    ws.append(["P101", "Vongsa", "Noy", "女", "ラオス", dt.date(1991, 3, 9), "通訳希望"])
    ws.append(["P102", "Reyes", "Jose", "男", "フィリピン", "1989/11/23", None])
    book.save(path)


def exchange_transcripts(s: Session, folder: Path) -> dict[str, str]:
    """The README's merge, diff and import blocks, and the mapping guide's suggestion."""
    out: dict[str, str] = {}
    fill_workbook(
        folder / "lgotp-template.xlsx",
        folder / "sapporo.xlsx",
        {"Cohort ID": "lgotp-2024"},
        SAPPORO_TABLES,
    )
    s.run("merge", "cohort-2024.xlsx", "sapporo.xlsx", "-o", "merged.xlsx", show_exit=True)
    s.run(
        "merge", "cohort-2024.xlsx", "sapporo.xlsx", "-o", "merged.xlsx", "--prefer", "sapporo.xlsx"
    )
    out["readme-merge"] = s.take()
    s.run("diff", "cohort-2024.xlsx", "merged.xlsx", show_exit=True)
    out["readme-diff"] = s.take()
    write_roster(folder / "roster.xlsx")
    (folder / "roster.toml").write_text(ROSTER_MAPPING, encoding="utf-8")
    s.cat("roster.toml")
    s.run("import", "roster.xlsx", "--mapping", "roster.toml", "-o", "roster-cohort.xlsx")
    out["readme-import"] = s.take()
    s.run("import", "roster.xlsx", "--suggest", "--programme", "lgotp", "-o", "suggested.toml")
    s.cat("suggested.toml")
    out["import-suggest"] = s.take()
    return out


# ---------------------------------------------------------------------------
# The plugin guide: its own code, assembled and run


GUIDE = ROOT / "docs" / "plugin-guide.md"
_BLOCK = re.compile(r"^```(?P<lang>\w+) (?P<path>\S+)\n(?P<body>.*?)^```$", re.S | re.M)


def guide_files(text: str | None = None) -> dict[str, str]:
    """The files the plugin guide's code blocks make up: ``{relative path: text}``.

    A block whose info string is ``LANGUAGE PATH`` belongs to ``PATH``; blocks for the same
    path are joined in order, as the guide builds the file step by step.
    """
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    files: dict[str, list[str]] = {}
    for match in _BLOCK.finditer(text):
        files.setdefault(match["path"], []).append(match["body"])
    return {path: "\n\n".join(parts) for path, parts in files.items()}


def write_guide_project(folder: Path, text: str | None = None) -> Path:
    """Write the guide's distribution into ``folder``; returns its root."""
    root = folder / "kenshu-youth-exchange"
    for path, body in guide_files(text).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return root


def guide_entry_point(root: Path) -> tuple[str, str, dict[str, Any]]:
    """``(plugin name, module, project table)`` from the guide's pyproject.toml."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    ((name, module),) = project["entry-points"]["kenshu"].items()
    return name, module, project


@contextlib.contextmanager
def imported_guide_plugin(root: Path) -> Iterator[Any]:
    """Import the guide's plugin module from ``root/src``; forget it afterwards."""
    _, module_name, _ = guide_entry_point(root)
    package = module_name.split(".")[0]
    sys.path.insert(0, str(root / "src"))
    try:
        yield importlib.import_module(module_name)
    finally:
        sys.path.remove(str(root / "src"))
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


def guide_registry(root: Path, module: Any):
    """A registry with only the core and the guide's plugin, as if installed with pip."""
    from kenshu.plugins import PluginInfo, PluginRegistry

    name, module_name, project = guide_entry_point(root)
    registry = PluginRegistry.discover(entry_points=[])
    info = PluginInfo(
        name=name,
        distribution=project["name"],
        version=project["version"],
        module=module_name,
    )
    registry.add(module, name, info=info)
    return registry


GUIDE_TABLES = {
    "Participants": [
        {
            "Participant ID": "Y01",
            "Family name": "Sato",
            "Given name": "Hana",
            "Date of birth": dt.date(2008, 9, 1),
            "Guardian's consent": "yes",
        },
        {
            "Participant ID": "Y02",
            "Family name": "Suzuki",
            "Given name": "Ren",
            "Date of birth": dt.date(2009, 3, 15),
        },
        {
            "Participant ID": "Y03",
            "Family name": "Tanaka",
            "Given name": "Yui",
            "Date of birth": dt.date(2007, 6, 30),
        },
    ],
    "Costs": [
        {
            "Cost ID": "C1",
            "Item": "airfare",
            "Amount": 198000,
            "Currency": "JPY",
            "Participant ID": "Y01",
        },
        {
            "Cost ID": "C2",
            "Item": "living_allowance",
            "Amount": 30000,
            "Currency": "JPY",
            "Participant ID": "Y01",
        },
        {"Cost ID": "C3", "Item": "insurance", "Amount": 36000, "Currency": "JPY"},
    ],
}
GUIDE_COHORT = {
    "Cohort ID": "ye-2025",
    "Title": "Youth Exchange 2025",
    "Start date": dt.date(2025, 7, 20),
    "End date": dt.date(2025, 8, 2),
    "Destination country": "US",  # an outbound programme names where participants go
}


def fill_guide_workbook(session: Session, name: str) -> None:
    """Write the guide's template with ``session`` and fill in the guide's cohort."""
    session.run("template", "youth_exchange", "-o", "ye-template.xlsx")
    fill_workbook(
        session.folder / "ye-template.xlsx", session.folder / name, GUIDE_COHORT, GUIDE_TABLES
    )


@cache
def guide_transcripts() -> dict[str, str]:
    """The plugin guide's console blocks, run with the guide's own plugin."""
    out: dict[str, str] = {}
    with scratch() as folder:
        root = write_guide_project(folder)
        with imported_guide_plugin(root) as module:
            s = Session(folder, guide_registry(root, module))
            s.run("plugins")
            s.run("programmes")
            out["guide-plugins"] = s.take()
            fill_guide_workbook(s, "ye-2025.xlsx")
            out["guide-template"] = s.take()
            s.run("validate", "ye-2025.xlsx", show_exit=True)
            out["guide-validate"] = s.take()
            s.run("validate", "ye-2025.xlsx", "--set", "consent_age=16", show_exit=True)
            out["guide-set"] = s.take()
            s.run("report", "ye-2025.xlsx", "-o", "ye-2025-report.xlsx", "--set", "consent_age=16")
            out["guide-report"] = s.take()
    return out


# ---------------------------------------------------------------------------
# The workbook format: tables from the catalogue, and a hand-made workbook


def sheets_table() -> str:
    """A Markdown table of the workbook's sheets."""
    from kenshu.catalogue import SHEETS

    rows = [
        "| id | English name | Japanese name | layout | row identity |",
        "|---|---|---|---|---|",
    ]
    for spec in SHEETS:
        layout = "field / value rows" if spec.layout == "form" else "header row, a row per record"
        key = f"`{spec.key}`" if spec.key else ("one per workbook" if spec.layout == "form" else "")
        if spec.id == "attendance":
            key = "`participant_id` with `activity_id` or `follow_up_id`"
        rows.append(f"| `{spec.id}` | {spec.label} | {spec.label_ja} | {layout} | {key} |")
    return "\n".join(rows)


def fields_table(sheet_id: str) -> str:
    """A Markdown table of the core fields of one sheet."""
    from kenshu.catalogue import CORE_FIELDS

    rows = [
        "| id | English label | Japanese label | type | required | notes |",
        "|---|---|---|---|---|---|",
    ]
    for f in CORE_FIELDS[sheet_id]:
        notes = [f.help.replace("|", "\\|")]
        if f.choices:
            notes.append("One of " + ", ".join(f"`{c}`" for c in f.choices) + ".")
        if f.minimum is not None:
            notes.append(f"At least {f.minimum:g}.")
        if f.maximum is not None:
            notes.append(f"At most {f.maximum:g}.")
        if f.sensitivity != "public":
            notes.append(f"{f.sensitivity.capitalize()} data.")
        rows.append(
            f"| `{f.id}` | {f.label} | {f.label_ja} | {f.type} | "
            f"{'yes' if f.required else ''} | {' '.join(notes)} |"
        )
    return "\n".join(rows)


def limits_table() -> str:
    """The limits applied to every workbook before it is parsed."""
    from kenshu.workbook.safety import LIMIT_SETTINGS

    rows = ["| setting | default | what it limits |", "|---|---|---|"]
    rows += [f"| `{s.id}` | {s.default} | {s.help} |" for s in LIMIT_SETTINGS]
    return "\n".join(rows)


def metadata_example() -> str:
    """The ``_kenshu`` sheet of a template written with the installed plugins."""
    import openpyxl

    with scratch() as folder:
        Session(folder).run("template", "lgotp", "-o", "t.xlsx")
        book = openpyxl.load_workbook(folder / "t.xlsx", read_only=True)
        rows = [r for r in book["_kenshu"].iter_rows(values_only=True) if r[0] is not None]
        book.close()
    width = max(len(str(key)) for key, _ in rows)
    return "\n".join(f"{key!s:<{width}}  {value}" for key, value in rows)


def write_handmade_workbook(path: Path) -> None:
    """A workbook made by hand, not from a template: Japanese headers under a title row, a
    renamed sheet, full-width digits, a Japanese date, an Excel serial, an extra column and
    an extra sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    form = book.active
    form.title = "コホート"
    for row in (
        ("2024年度 研修コホート",),
        ("プログラム", "example"),
        ("コホートID", "demo-2024"),
        ("開始日", "２０２４年５月１４日"),
        ("終了日", 45657),
        ("予算担当", "国際課"),
    ):
        form.append(row)
    trainees = book.create_sheet("研修員名簿")
    for row in (
        ("2024年度 研修員名簿",),
        ("参加者ID", "姓", "名", "生年月日", "国籍", "メモ"),
        ("P001", "Nguyen", "Lan", "1990/4/1", "ベトナム", "visa pending"),
        ("P002", "Santos", "Maria", "31/02/1990", "Philippines", None),
    ):
        trainees.append(row)
    book.create_sheet("Budget notes").append(("ask finance about the 2024 rates",))
    book.save(path)


@cache
def format_transcripts() -> dict[str, str]:
    """The workbook-format page's console blocks (core only: no plugin installed)."""
    from kenshu.plugins import PluginRegistry

    out: dict[str, str] = {}
    with scratch() as folder:
        write_handmade_workbook(folder / "handmade.xlsx")
        s = Session(folder, PluginRegistry.discover(entry_points=[]))
        s.run("validate", "handmade.xlsx")
        out["format-validate"] = s.take()
        s.run("convert", "handmade.xlsx", "handmade.json")
        s.cat("handmade.json")
        out["format-json"] = s.take()
        s.run("convert", "handmade.json", "exported.xlsx")
        out["format-export"] = s.take()
    return out


# ---------------------------------------------------------------------------


def rendered_files() -> dict[Path, tuple[str, str]]:
    """``{path: (current text, regenerated text)}`` for every file with generated parts."""
    result = {}
    for name in FILES:
        path = ROOT / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            result[path] = (text, render(text, generate))
    return result


def main(argv: list[str] | None = None) -> int:
    """Rewrite the generated sections, or with ``--check`` report stale files."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    os.environ.pop("KENSHU_DISABLE_PLUGINS", None)  # the docs show every plugin installed
    stale = []
    for path, (old, new) in rendered_files().items():
        if old == new:
            continue
        stale.append(path.relative_to(ROOT))
        if not check:
            path.write_text(new, encoding="utf-8")
    for name in stale:
        print(f"{'out of date' if check else 'rewrote'}: {name}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
