"""Settings: every number a rule uses, with its default, its help and where it comes from.

A programme declares its settings through the ``kenshu_settings`` hook. A value is resolved
in this order, later winning: the declared default, the workbook's Settings sheet, then the
command line (``--set ID=VALUE``). :class:`Settings` remembers which of these gave each value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from attrs import field, frozen

SETTING_TYPES = ("integer", "number", "text", "date", "month_day", "yes_no", "list")


@frozen
class Setting:
    """A documented, overridable rule parameter.

    ``source`` says where the default comes from: a seed document, a public source (an
    address), or ``"default"`` for a kenshu default where no source states a rule.
    ``type`` is one of :data:`SETTING_TYPES`; ``list`` values are ``;``-separated in text.
    """

    id: str
    default: Any
    help: str
    source: str = "default"
    type: str = "integer"
    owner: str = "core"  # the plugin (or core) that declared it

    def __attrs_post_init__(self) -> None:
        if self.type not in SETTING_TYPES:
            raise ValueError(f"setting {self.id}: unknown type {self.type!r}")

    def parse(self, raw: Any) -> Any:
        """Turn a value from a workbook or the command line into this setting's type.

        Raises ``ValueError`` with a readable reason when it cannot.
        """
        return parse_setting_value(self.type, raw)

    def render(self, value: Any) -> Any:
        """The JSON/workbook form of a value of this setting."""
        if self.type == "list":
            return list(value)
        if self.type == "date":
            return value.isoformat()
        if self.type == "month_day":
            return f"{value[0]:02d}-{value[1]:02d}"
        return value


def parse_setting_value(kind: str, raw: Any) -> Any:
    """Parse ``raw`` as a setting of type ``kind``."""
    if isinstance(raw, str):
        raw = raw.strip()
    if kind == "integer":
        if isinstance(raw, bool):
            raise ValueError("expected a whole number")
        if isinstance(raw, float):
            if not raw.is_integer():
                raise ValueError(f"expected a whole number, got {raw}")
            return int(raw)
        if isinstance(raw, int):
            return raw
        try:
            return int(str(raw))
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}") from None
    if kind == "number":
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return raw
        try:
            number = float(str(raw))
        except ValueError:
            raise ValueError(f"expected a number, got {raw!r}") from None
        return int(number) if number.is_integer() else number
    if kind == "text":
        return str(raw)
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, got {raw!r}") from None
    if kind == "month_day":
        if isinstance(raw, tuple):
            return raw
        text = str(raw).replace("/", "-")
        try:
            month, day = (int(part) for part in text.split("-")[-2:])
            dt.date(2024, month, day)  # a leap year accepts 29 February
        except ValueError:
            raise ValueError(f"expected a month and day MM-DD, got {raw!r}") from None
        return (month, day)
    if kind == "yes_no":
        if isinstance(raw, bool):
            return raw
        text = str(raw).lower()
        if text in {"yes", "y", "true", "1", "はい"}:
            return True
        if text in {"no", "n", "false", "0", "いいえ"}:
            return False
        raise ValueError(f"expected yes or no, got {raw!r}")
    if kind == "list":
        if isinstance(raw, list | tuple):
            return tuple(str(item).strip() for item in raw if str(item).strip())
        return tuple(part.strip() for part in str(raw).split(";") if part.strip())
    raise ValueError(f"unknown setting type {kind!r}")


@frozen
class Settings(Mapping[str, Any]):
    """The resolved settings for one run: ``settings["min_months"]``.

    ``origins`` maps each id to ``"default"``, ``"workbook"`` or ``"command line"``.
    """

    declared: dict[str, Setting] = field(factory=dict)
    values: dict[str, Any] = field(factory=dict)
    origins: dict[str, str] = field(factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def rendered(self) -> dict[str, Any]:
        """``{id: value}`` in JSON form, as the report records them."""
        return {key: self.declared[key].render(value) for key, value in self.values.items()}


class SettingError(ValueError):
    """A setting override that names an unknown setting or has an unusable value."""


def resolve(
    declared: Iterable[Setting],
    workbook: Mapping[str, Any] | None = None,
    command_line: Mapping[str, Any] | None = None,
) -> tuple[Settings, list[tuple[str, str, str]]]:
    """Resolve settings; returns them and the problems found as ``(origin, id, reason)``.

    An unusable workbook value is reported and the default kept; unknown ids are reported.
    """
    by_id = {setting.id: setting for setting in declared}
    values = {key: setting.default for key, setting in by_id.items()}
    origins = dict.fromkeys(by_id, "default")
    problems: list[tuple[str, str, str]] = []
    for origin, overrides in (("workbook", workbook or {}), ("command line", command_line or {})):
        for key, raw in overrides.items():
            setting = by_id.get(key)
            if setting is None:
                known = ", ".join(sorted(by_id)) or "none"
                problems.append((origin, key, f"unknown setting (known: {known})"))
                continue
            try:
                values[key] = setting.parse(raw)
            except ValueError as exc:
                problems.append((origin, key, str(exc)))
                continue
            origins[key] = origin
    return Settings(declared=by_id, values=values, origins=origins), problems
