"""The plugin contract suite: what every kenshu plugin must honour, as pytest tests.

A plugin runs it against itself with one line in its tests::

    from kenshu.testing.contract import contract_suite

    TestContract = contract_suite("kenshu_myprogramme.plugin")

It checks that the plugin loads with no problem and implements only known hooks (a
misspelt hook fails), that every field has labels in English and Japanese and help, that
every setting has help, a source and a default of its own type, that each programme's
template round-trips through fill -> read -> validate in both languages, that findings carry
stable codes and a Japanese message (``data.error(..., ja="...")``, shown with ``--lang ja``;
checked on the sample, on variants meant to make rules speak and on the examples), that the
plugin answers only for its own programmes, and that its example workbooks load, validate
and report without any plugin error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kenshu import hookimpl, hookspecs
from kenshu.fields import Field
from kenshu.model import Finding, Programme
from kenshu.plugins import PluginRegistry
from kenshu.testing import (
    fill_template,
    isolated_registry,
    load_plugin,
    make_cohort,
    read_cohort,
    report_cohort,
    validate_cohort,
)

#: A finding's code: ``source.kebab-name`` (``lgotp.stay-too-short``).
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9]+(?:-[a-z0-9]+)*$")
PROGRAMME_CODE = re.compile(r"^[a-z][a-z0-9_-]*$")


def sample_value(field: Field, start: dt.date) -> Any:
    """A plausible value of ``field``'s type, for round-trip checks."""
    if field.type == "choice":
        return field.choices[0]
    if field.type in ("integer", "number"):
        if field.minimum is not None:
            return int(field.minimum)
        return 1
    return {
        "text": "sample text",
        "code": "X1",
        "date": start,
        "yes_no": True,
        "list": ("a", "b"),
        "country": "GB",
        "country_list": ("GB", "IE"),
        "email": "someone@example.org",
    }[field.type]


def sample_cohort(registry: PluginRegistry, programme: Programme):
    """A one-participant, one-host cohort with every plugin field of these sheets filled."""
    start, end = dt.date(2024, 5, 20), dt.date(2024, 11, 19)
    schema = registry.schema(programme)

    def extras(sheet: str) -> dict[str, Any]:
        return {f.id: sample_value(f, start) for f in schema.fields[sheet] if f.source != "core"}

    return make_cohort(
        programme.code,
        cohort_id=f"{programme.code}-contract",
        start_date=start,
        end_date=end,
        cohort={"extra": extras("cohort")},
        participants=[
            {
                "participant_id": "P1",
                "family_name": "Sample",
                "given_name": "Person",
                "host_id": "H1",
                "arrival_date": start,
                "departure_date": end,
                "extra": extras("participants"),
            }
        ],
        hosts=[{"host_id": "H1", "name": "Sample host", "extra": extras("hosts")}],
    )


def contract_suite(
    plugin: str | Any,
    *,
    sample: Callable[[PluginRegistry, Programme], Any] | None = None,
    cross_cutting: bool = False,
) -> type:
    """A pytest test class checking ``plugin`` (a module path or object) against the contract.

    ``sample(registry, programme)`` may return a :class:`~kenshu.dataset.CohortData` to use
    for the round trips instead of the generated one. A ``cross_cutting`` plugin (one that
    registers no programme on purpose) skips the programme checks.
    """
    obj, name = load_plugin(plugin)
    make_sample = sample or sample_cohort

    def registry() -> PluginRegistry:
        return isolated_registry(obj)

    def own_programmes(reg: PluginRegistry) -> list[Programme]:
        return [p for p in reg.programmes.values() if p.plugin == name]

    class PluginContract:
        def test_loads_without_problems(self) -> None:
            reg = registry()
            assert reg.plugins[name].status == "loaded", reg.plugins[name].reason
            assert not reg.problems, [p.line() for p in reg.problems]

        def test_implements_only_known_hooks(self) -> None:
            known = set(hookspecs.hook_names())
            for attribute in dir(obj):
                if attribute.startswith("kenshu_") and callable(getattr(obj, attribute)):
                    assert attribute in known, f"{attribute} is not a kenshu hook (misspelt?)"

        def test_registers_programmes(self) -> None:
            programmes = own_programmes(registry())
            if cross_cutting:
                assert not programmes, "a cross-cutting plugin registers no programme"
                return
            assert programmes, f"plugin {name} registers no programme"
            for programme in programmes:
                assert PROGRAMME_CODE.match(programme.code), programme.code
                assert programme.title

        def test_fields_have_labels_and_help(self) -> None:
            reg = registry()
            for programme in own_programmes(reg) or [None]:
                schema = reg.schema(programme)
                assert not schema.problems, [f.message for f in schema.problems]
                for fields in schema.fields.values():
                    for f in fields:
                        if f.source != name:
                            continue
                        assert f.label and f.label_ja, (
                            f"field {f.sheet}.{f.id} needs labels in en and ja"
                        )
                        assert f.help, f"field {f.sheet}.{f.id} needs help"

        def test_settings_are_documented(self) -> None:
            reg = registry()
            for programme in own_programmes(reg) or [None]:
                for setting in reg.schema(programme).settings:
                    if setting.owner != name:
                        continue
                    assert setting.help, f"setting {setting.id} needs help"
                    assert setting.source, f"setting {setting.id} needs a source"
                    rendered = setting.render(setting.default)
                    assert setting.parse(rendered) == setting.default, (
                        f"setting {setting.id}: default {setting.default!r} is not of type {setting.type}"
                    )

        def test_template_round_trip(self, tmp_path: Path) -> None:
            from kenshu.workbook.export import write_cohort_workbook

            reg = registry()
            for programme in own_programmes(reg):
                data = make_sample(reg, programme)
                schema = reg.schema(programme)
                for lang in ("en", "ja"):
                    template = tmp_path / f"{programme.code}-{lang}-template.xlsx"
                    write_cohort_workbook(template, _empty(programme), schema, lang=lang)
                    filled = fill_template(
                        template,
                        tmp_path / f"{programme.code}-{lang}-filled.xlsx",
                        cohort=_cells(_record_values(data.cohort)),
                        **{
                            sheet: [_cells(_record_values(r)) for r in data.records(sheet)]
                            for sheet in ("participants", "hosts")
                            if data.records(sheet) and sheet in schema.template_sheets()
                        },
                    )
                    back, reading, _ = read_cohort(filled, reg)
                    problems = [f.message for f in reading if f.code == "core.invalid-value"]
                    assert not problems, problems
                    assert back.cohort is not None
                    assert _record_values(back.cohort) == _record_values(data.cohort)
                    for sheet in ("participants", "hosts"):
                        if sheet in schema.template_sheets():
                            assert [_record_values(r) for r in back.records(sheet)] == [
                                _record_values(r) for r in data.records(sheet)
                            ]
                    outcome = validate_cohort(back, reg)
                    _assert_clean(reg, outcome.findings)

        def test_findings_have_stable_codes(self) -> None:
            reg = registry()
            for programme in own_programmes(reg):
                report = report_cohort(make_sample(reg, programme), reg)
                _assert_clean(reg, report.findings)

        def test_findings_have_japanese_messages(self) -> None:
            reg = registry()
            for programme in own_programmes(reg):
                cohorts = _variants(make_sample(reg, programme), reg.schema(programme))
                for example in programme.examples:
                    cohorts.append(read_cohort(Path(example), reg)[0])
                for data in cohorts:
                    report = report_cohort(data, reg)
                    missing = [
                        f"{f.code}: {f.message}"
                        for f in report.findings
                        if f.source == name and not f.message_ja
                    ]
                    assert not missing, (
                        "findings without a Japanese message (give data.error(..., ja=...)): "
                        f"{missing}"
                    )

        def test_answers_only_for_own_programmes(self) -> None:
            if cross_cutting:
                return
            reg = registry()
            reg.add(_ForeignPlugin(), "contract_foreign")
            data = make_cohort("contract-foreign", participants=[{"participant_id": "F1"}])
            report = report_cohort(data, reg)
            from_plugin = [f for f in report.findings if f.source == name]
            assert not from_plugin, f"plugin {name} answered for another programme: {from_plugin}"
            assert not report.groups and not report.sheets
            assert all(c.payer == "unassigned" for c in report.costs)

        def test_examples_load_validate_and_report(self) -> None:
            reg = registry()
            for programme in own_programmes(reg):
                for example in programme.examples:
                    path = Path(example)
                    assert path.exists(), f"example {example} is missing"
                    data, reading, schema = read_cohort(path, reg)
                    assert data.programme_code == programme.code
                    from kenshu.report import build_report
                    from kenshu.validate import validate

                    report = build_report(validate(data, reg, schema, reading), reg)
                    _assert_clean(reg, report.findings)

    PluginContract.__name__ = f"Contract_{name}"
    PluginContract.__qualname__ = PluginContract.__name__
    return PluginContract


def _assert_clean(registry: PluginRegistry, findings: list[Finding]) -> None:
    assert not registry.problems, [p.line() for p in registry.problems]
    for finding in findings:
        assert CODE_PATTERN.match(finding.code), f"unstable finding code {finding.code!r}"
        assert finding.code != "core.plugin-failed", finding.message


class _ForeignPlugin:
    """A minimal plugin owning a programme no real plugin claims."""

    @hookimpl
    def kenshu_register_programmes(self, register: Callable[[Programme], None]) -> None:
        register(Programme(code="contract-foreign", title="A programme of another plugin"))


def _variants(data: Any, schema: Any) -> list[Any]:
    """The sample and two variants meant to make a programme's rules speak: one with every
    optional value emptied, one with unusual values (a one-day stay, a five-year one, the
    last choice of each choice field, nationality JP)."""
    import copy

    import attrs

    sparse = copy.copy(data)
    sparse.participants = [
        attrs.evolve(
            p,
            **{
                f.id: None
                for f in schema.fields["participants"]
                if f.source == "core"
                and f.id not in ("participant_id", "host_id", "arrival_date", "departure_date")
                and getattr(p, f.id, None) is not None
                and not isinstance(getattr(p, f.id), tuple)
            },
            extra={},
        )
        for p in data.participants
    ]
    sparse.hosts = [attrs.evolve(h, extra={}) for h in data.hosts]
    odd = copy.copy(data)
    odd_people = []
    for index, p in enumerate(data.participants):
        choices = {
            f.id: f.choices[-1]
            for f in schema.fields["participants"]
            if f.source == "core" and f.type == "choice" and f.id != "status"
        }
        arrival = p.arrival_date or dt.date(2024, 5, 20)
        for days in (1, 5 * 366):
            odd_people.append(
                attrs.evolve(
                    p,
                    participant_id=f"{p.participant_id}-{days}-{index}",
                    nationality="JP",
                    arrival_date=arrival,
                    departure_date=arrival + dt.timedelta(days=days),
                    **choices,
                )
            )
    odd.participants = odd_people
    for variant in (sparse, odd):  # look-ups must follow the new records
        variant.records_changed()
    return [data, sparse, odd]


def _empty(programme: Programme):
    from kenshu.dataset import CohortData

    data = CohortData()
    data.cohort_fallback = {"programme": programme.code}
    data.metadata["programme"] = programme.code
    return data


def _record_values(record: Any) -> dict[str, Any]:
    import attrs

    values = {
        k: v
        for k, v in attrs.asdict(record, recurse=False).items()
        if k not in ("extra", "unknown", "invalid")
    }
    values.update(record.extra)
    return {k: v for k, v in values.items() if v not in (None, (), "")}


def _cells(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as a person types them into cells (lists joined with ';')."""
    return {k: ("; ".join(v) if isinstance(v, tuple) else v) for k, v in values.items()}
