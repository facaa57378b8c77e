"""Running every check over a cohort: core structure, settings, and each plugin's rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from attrs import define, field
from kenshu.builtin import required_fields
from kenshu.dataset import CohortData
from kenshu.model import Finding, Programme
from kenshu.plugins import PluginRegistry
from kenshu.schema import Schema
from kenshu.settings import SettingError, Settings, resolve

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@define
class Validation:
    """The outcome of validating one cohort."""

    data: CohortData
    programme: Programme | None
    schema: Schema
    settings: Settings
    findings: list[Finding] = field(factory=list)

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def counts(self) -> dict[str, int]:
        counter = Counter(f.severity for f in self.findings)
        return {severity: counter.get(severity, 0) for severity in ("error", "warning", "info")}


def resolve_settings(
    schema: Schema, data: CohortData, command_line: Mapping[str, Any] | None = None
) -> tuple[Settings, list[Finding]]:
    """Resolve settings; workbook problems become findings, command-line ones raise.

    Raises :class:`SettingError` for an unknown or unusable ``--set`` (a usage error).
    """
    settings, problems = resolve(schema.settings, data.settings, command_line)
    findings: list[Finding] = []
    layout = data.layouts.get("settings")
    for origin, key, reason in problems:
        if origin == "command line":
            raise SettingError(f"--set {key}: {reason}")
        row = data.settings_rows.get(key)
        column = "B" if layout else None
        findings.append(
            Finding(
                code="core.invalid-setting",
                severity="error",
                message=f"setting {key!r}: {reason}",
                message_ja=f"設定「{key}」の値が正しくありません: {reason}",
                sheet=layout.name if layout else "Settings",
                row=row,
                column=column,
                cell=f"{column}{row}" if column and row else None,
            )
        )
    return settings, findings


def validate(
    data: CohortData,
    registry: PluginRegistry,
    schema: Schema,
    reading_findings: list[Finding] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Validation:
    """Run every check; ``overrides`` are ``--set`` values (raises SettingError if bad)."""
    programme = schema.programme
    settings, findings = resolve_settings(schema, data, overrides)
    findings = list(reading_findings or ()) + list(schema.problems) + findings
    findings.extend(required_fields(data, schema))
    _, cohort_findings = registry.call(
        "kenshu_check_cohort", programme, data=data, settings=settings
    )
    findings.extend(cohort_findings)
    # an events programme (enrolled=False) has no participants to check
    if data.cohort is not None and (programme is None or programme.enrolled):
        check = registry.bind("kenshu_check_participant", programme)  # looked up once
        for participant in data.participants:
            _, more = check(data=data, participant=participant, settings=settings)
            findings.extend(more)
    return Validation(data, programme, schema, settings, sort_findings(findings))


def _sort_key(f: Finding) -> tuple[int, str, int, int, str, str]:
    column = f.column or ""
    return (
        _SEVERITY_ORDER[f.severity],
        f.sheet or "",
        f.row or 0,
        len(column),  # column letters in sheet order: Z before AA
        column,
        f.code,
    )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then by sheet and row, keeping duplicates out."""
    unique = list(dict.fromkeys(findings))
    unique.sort(key=_sort_key)
    return unique


__all__ = ["SettingError", "Validation", "resolve_settings", "sort_findings", "validate"]
