"""With only kenshu and this plugin, the programme works: template, validate, report.

``kenshu.testing``'s isolated registry holds kenshu's built-in checks and this plugin alone,
whatever else is installed, as after ``pip install . plugins/leaders_vietnam``.
"""

from __future__ import annotations

import datetime as dt
import json

from kenshu.testing import fill_template

D = dt.date


def test_the_programme_works_with_only_this_plugin(kenshu_registry_for, kenshu_cli, tmp_path, lv):
    registry = kenshu_registry_for("kenshu_leaders_vietnam.plugin")
    assert set(registry.programmes) == {"leaders-vietnam"}
    assert not registry.problems

    listed = kenshu_cli(["programmes"], registry=registry)
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith("leaders-vietnam: Training in Japan for young Vietnamese")

    template = tmp_path / "template.xlsx"
    result = kenshu_cli(["template", "leaders-vietnam", "-o", template], registry=registry)
    assert result.exit_code == 0, result.output
    filled = fill_template(
        template,
        tmp_path / "cohort.xlsx",
        cohort=lv.cohort_values(),
        participants=[*lv.participant_rows(4), lv.participant_row("P05", home_region="Bien Hoa")],
    )

    result = kenshu_cli(["validate", "--json", filled], registry=registry)
    assert result.exit_code == 1, result.output
    (file,) = json.loads(result.stdout)["files"]
    assert [(f["code"], f["subject"]) for f in file["findings"]] == [
        ("leaders_vietnam.unknown-region", "P05")
    ]

    result = kenshu_cli(["report", "--json", filled, "--lang", "ja"], registry=registry)
    assert result.exit_code == 1, result.output
    out = json.loads(result.stdout)
    assert (
        "参加者5人(3省・1中央直轄市から)。うち1人は出身地域が省・中央直轄市として確認できません。"
        in out["summary"]
    )
    assert next(p["kind"] for p in out["phases"]) == "opening"
    assert out["follow_ups"][0]["due_from"] == "2024-08-08"
