"""A programme's schema: the fields of every sheet and the settings, core and plugins'.

``kenshu schema PROGRAMME --json`` prints :meth:`Schema.as_dict`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
from attrs import define, field
from kenshu.catalogue import CORE_FIELDS, SHEETS, SHEETS_BY_ID
from kenshu.fields import Field, SheetSpec
from kenshu.model import Finding, Programme
from kenshu.settings import Setting
from kenshu.workbook.cells import normalise_label
from kenshu.workbook.safety import LIMIT_SETTINGS

if TYPE_CHECKING:
    from kenshu.plugins import PluginRegistry


@define
class Schema:
    """Fields per sheet id (in column order) and settings, for one programme (or none)."""

    programme: Programme | None
    fields: dict[str, list[Field]]
    settings: list[Setting]
    problems: list[Finding] = field(factory=list)
    _labels: dict[str, dict[str, str]] = field(factory=dict, repr=False)

    def sheet(self, sheet_id: str) -> SheetSpec:
        return SHEETS_BY_ID[sheet_id]

    def field(self, sheet_id: str, field_id: str) -> Field | None:
        for candidate in self.fields.get(sheet_id, ()):
            if candidate.id == field_id:
                return candidate
        return None

    def label_index(self, sheet_id: str) -> dict[str, str]:
        """Normalised label or id (every language) -> field id, for header matching."""
        if sheet_id not in self._labels:
            index: dict[str, str] = {}
            for f in self.fields.get(sheet_id, ()):
                for text in (f.id, f.label, f.label_ja):
                    if text:
                        index.setdefault(normalise_label(text), f.id)
            self._labels[sheet_id] = index
        return self._labels[sheet_id]

    def template_sheets(self) -> list[str]:
        """The table sheets the programme uses, in workbook order."""
        wanted = set(self.programme.sheets) if self.programme else {s.id for s in SHEETS}
        return [s.id for s in SHEETS if s.id in wanted and s.id not in ("cohort", "settings")]

    def required(self, sheet_id: str, field_id: str) -> bool:
        f = self.field(sheet_id, field_id)
        if f is None:
            return False
        if f.required:
            return True
        return bool(self.programme and f"{sheet_id}.{field_id}" in self.programme.required_fields)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        sheets = []
        for spec in SHEETS:
            sheets.append(
                {
                    "name": spec.name_in(lang),
                    "id": spec.id,
                    "names": spec.names(),
                    "fields": [
                        {
                            "id": f.id,
                            "labels": f.labels(),
                            "type": f.type,
                            "required": self.required(spec.id, f.id),
                            "choices": list(f.choices) or None,
                            "help": (f.help_ja or f.help) if lang == "ja" else f.help,
                            "default": f.default,
                            "sensitivity": f.sensitivity,
                            "source": f.source,
                        }
                        for f in self.fields.get(spec.id, ())
                    ],
                }
            )
        return {
            "programme": self.programme.code if self.programme else None,
            "sheets": sheets,
            "settings": [
                {
                    "id": s.id,
                    "default": _render_default(s),
                    "help": s.help,
                    "source": s.source,
                    "type": s.type,
                    "owner": s.owner,
                }
                for s in self.settings
            ],
        }


def _render_default(setting: Setting) -> Any:
    return setting.render(setting.default) if setting.default is not None else None


def build_schema(registry: PluginRegistry, programme: Programme | None) -> Schema:
    """Core fields plus every field and setting the answering plugins contribute."""
    fields = {sheet: list(core) for sheet, core in CORE_FIELDS.items()}
    problems: list[Finding] = []
    contributed, findings = registry.contributed_fields(programme)
    problems.extend(findings)
    for f in contributed:
        if f.sheet not in fields or f.sheet == "settings":
            problems.append(
                _problem(
                    f.source,
                    f"field {f.id!r} names an unknown sheet {f.sheet!r}",
                    f"項目「{f.id}」が存在しないシート「{f.sheet}」を指定しています",
                )
            )
            continue
        clash = next((other for other in fields[f.sheet] if other.id == f.id), None)
        if clash is not None:
            problems.append(
                _problem(
                    f.source,
                    f"field {f.sheet}.{f.id} clashes with the one from {clash.source}; ignored",
                    f"項目 {f.sheet}.{f.id} は{clash.source}の項目と重複するため、無視しました",
                )
            )
            continue
        fields[f.sheet].append(f)
    settings: list[Setting] = [attrs.evolve(s, owner="core") for s in LIMIT_SETTINGS]
    declared, findings = registry.contributed_settings(programme)
    problems.extend(findings)
    seen = {s.id: s for s in settings}
    for s in declared:
        if s.id in seen:
            problems.append(
                _problem(
                    s.owner,
                    f"setting {s.id!r} is already declared by {seen[s.id].owner}; ignored",
                    f"設定「{s.id}」は{seen[s.id].owner}がすでに定義しているため、無視しました",
                )
            )
            continue
        seen[s.id] = s
        settings.append(s)
    return Schema(programme=programme, fields=fields, settings=settings, problems=problems)


def _problem(source: str, message: str, ja: str | None = None) -> Finding:
    return Finding(
        code="core.schema-conflict",
        severity="warning",
        message=message,
        message_ja=ja,
        source=source,
    )
