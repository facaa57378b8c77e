"""Check a plugin's README against what kenshu says of its programmes.

A programme plugin documents every setting in its README, in a Markdown table of six
columns whose first cell is the setting's id in backticks::

    | Setting | Default | Type | Meaning | Source | Basis |
    |---|---|---|---|---|---|
    | `min_months` | `6` | integer | Shortest stay in Japan, in calendar months. | seed 002 | stated |

The default is written as one writes it in the Settings sheet or after ``--set``, in
backticks (``yes``/``no`` for yes/no, ``a; b`` for a list, ``(empty)`` for an empty one);
type, meaning and source are those of ``kenshu schema CODE --json``; the last column (the
basis of the default, or which programmes use it) must not be empty. One test keeps the
table true::

    from kenshu.testing.readme import settings_problems

    def test_every_setting_is_in_the_readme_table():
        readme = Path(__file__).parent.parent / "README.md"
        assert settings_problems(readme, "myprogramme") == []

:func:`table_rows` and :func:`settings_table` read the README's tables for a plugin's own
checks (its fields or other tables); :func:`source_finding_codes` and :func:`undocumented`
check that every finding code the plugin's source spells out is in the README.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from kenshu.plugins import PluginRegistry

#: Cells in a row of a README settings table: id, default, type, meaning, source, basis.
SETTINGS_COLUMNS = 6


def table_rows(text: str) -> list[list[str]]:
    """The cells of every Markdown table row in ``text``, stripped (separator rows left out).

    Header rows are included: ``| Setting | Default |`` gives ``["Setting", "Default"]``.
    """
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|") or set(line) <= {"|", "-", " "}:
            continue
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def rendered_default(default: Any) -> str:
    """A setting's default as a README settings table writes it (see the module's help).

    ``True`` -> ```yes```, ``["a", "b"]`` -> ```a; b```, ``[]`` -> ``(empty)``, ``6`` -> ```6```.
    """
    if isinstance(default, bool):
        default = "yes" if default else "no"
    if isinstance(default, list | tuple):
        if not default:
            return "(empty)"
        default = "; ".join(str(item) for item in default)
    return f"`{default}`"


def settings_table(text: str) -> dict[str, list[str]]:
    """The README's settings rows by setting id: every table row of
    :data:`SETTINGS_COLUMNS` cells whose first cell is in backticks (a later row with the
    same id wins; :func:`settings_problems` reports the repeat)."""
    return {row[0].strip("`"): row for row in _settings_rows(text)}


def _settings_rows(text: str) -> list[list[str]]:
    return [
        row for row in table_rows(text) if len(row) == SETTINGS_COLUMNS and row[0].startswith("`")
    ]


def source_finding_codes(package: ModuleType | str | Path, plugin: str) -> set[str]:
    """The finding codes (``"plugin.kebab-name"`` in double quotes) that the ``.py`` files of
    a plugin's package spell out: ``source_finding_codes(kenshu_mine, "mine")``. ``package``
    is the imported package or its folder."""
    if isinstance(package, ModuleType):
        package = Path(package.__file__ or "").parent
    pattern = re.compile(rf'"({re.escape(plugin)}\.[a-z-]+)"')
    codes: set[str] = set()
    for path in sorted(Path(package).glob("*.py")):
        codes |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return codes


def undocumented(readme: str | Path, names: Iterable[str]) -> list[str]:
    """The ``names`` (finding codes, commands...) that the README never writes in backticks,
    sorted."""
    text = readme.read_text(encoding="utf-8") if isinstance(readme, Path) else readme
    return sorted(name for name in names if f"`{name}`" not in text)


def programme_schema(code: str, registry: PluginRegistry | None = None) -> dict[str, Any]:
    """What ``kenshu schema CODE --json`` prints, parsed (run in-process; the installed
    plugins unless ``registry`` is given). Raises ``AssertionError`` when it fails."""
    from kenshu.testing import invoke

    result = invoke("schema", code, "--json", registry=registry)
    assert result.exit_code == 0, f"kenshu schema {code} --json: {result.output}"
    return json.loads(result.stdout)


def settings_problems(
    readme: str | Path,
    codes: str | Iterable[str],
    *,
    registry: PluginRegistry | None = None,
    owners: Collection[str] | None = None,
) -> list[str]:
    """What is wrong with the README's settings table, as one line a problem (none: ``[]``).

    ``readme`` is the README's path or its text; ``codes`` a programme code or several
    (a plugin with several programmes documents their settings in one table). The settings
    are those ``kenshu schema CODE --json`` lists (the installed plugins, or ``registry``),
    only those whose owner is in ``owners`` when given (``{"core", "myplugin"}``, or the
    plugin alone when its README leaves kenshu's own settings to kenshu's docs). Problems:

    * a code whose schema lists no such setting;
    * a setting missing from the table;
    * a documented default, type, meaning (help) or source that is not the setting's, or
      an empty last column (the basis, or the programmes it applies to);
    * a setting documented twice, or a documented one that none of ``codes`` has.
    """
    text = readme.read_text(encoding="utf-8") if isinstance(readme, Path) else readme
    codes = [codes] if isinstance(codes, str) else list(codes)
    rows = _settings_rows(text)
    documented = {row[0].strip("`"): row for row in rows}
    problems = [
        f"setting `{sid}` is in the README table {count} times"
        for sid, count in Counter(row[0].strip("`") for row in rows).items()
        if count > 1
    ]
    seen: set[str] = set()
    for code in codes:
        listed = programme_schema(code, registry)["settings"]
        settings = [s for s in listed if owners is None or s["owner"] in owners]
        if not settings:
            owned = f" owned by {', '.join(sorted(owners))}" if owners else ""
            problems.append(f"{code}: kenshu schema lists no setting{owned}")
        for setting in settings:
            problems += _setting_problems(code, setting, documented.get(setting["id"]))
            seen.add(setting["id"])
    problems += [
        f"setting `{sid}` is in the README table but not in the schema of {', '.join(codes)}"
        for sid in documented
        if sid not in seen
    ]
    return problems


def _setting_problems(code: str, setting: Mapping[str, Any], row: list[str] | None) -> list[str]:
    sid = setting["id"]
    if row is None:
        return [f"{code}: setting `{sid}` is missing from the README table"]
    _, default, kind, meaning, source, last = row
    expected = {
        "default": (default, rendered_default(setting["default"])),
        "type": (kind, setting["type"]),
        "meaning": (meaning, setting["help"]),
        "source": (source, setting["source"]),
    }
    problems = [
        f"{code}: setting `{sid}`: the README's {column} is {found!r}, the schema's {want!r}"
        for column, (found, want) in expected.items()
        if found != want
    ]
    if not last:
        problems.append(f"{code}: setting `{sid}`: the README's last column is empty")
    return problems


__all__ = [
    "SETTINGS_COLUMNS",
    "programme_schema",
    "rendered_default",
    "settings_problems",
    "settings_table",
    "source_finding_codes",
    "table_rows",
    "undocumented",
]
