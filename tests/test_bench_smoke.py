"""The benchmark's generator and harness run, on a tiny size (benchmarks are not tests:
nothing here looks at how long anything took)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kenshu.io import load_cohort
from kenshu.plugins import PluginRegistry

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_the_generator_writes_a_cohort_with_the_planted_mistakes(tmp_path: Path) -> None:
    book, as_json = tmp_path / "cohort.xlsx", tmp_path / "cohort.json"
    generate = [sys.executable, str(BENCH / "generate.py"), "300", "--writer", "kenshu"]
    subprocess.run([*generate, "-o", str(book), "--json", str(as_json)], check=True, timeout=120)
    registry = PluginRegistry.discover()
    data, findings, _ = load_cohort(book, registry)
    assert data.cohort.cohort_id == "lgotp-bench-300"
    assert 290 <= len(data.participants) < 300  # a row without its id is kept apart
    assert len(data.hosts) == 15 and len(data.costs) == 300
    assert {f.code for f in findings} >= {"core.invalid-value", "core.missing-id"}
    names = {p.native_name for p in data.participants}
    assert any("Nguyễn" in (n or "") for n in names) and any("田中" in (n or "") for n in names)
    # the JSON is the same cohort
    from_json, _, _ = load_cohort(as_json, registry)
    assert [p.participant_id for p in from_json.participants] == [
        p.participant_id for p in data.participants
    ]


def test_the_harness_measures_everything_and_writes_its_results(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--sizes",
            "20,40",
            "--repeat",
            "1",
            "--no-peers",
            "--batch-files",
            "4",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = out.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Targets", "## Side by side", "## Scaling", "## Reproduce"):
        assert heading in text
    for what in (
        "floor: python-calamine",
        "floor: openpyxl write-only",
        "`kenshu validate`",
        "`kenshu report -o report.xlsx`",
        "`kenshu convert` xlsx → json",
        "`kenshu convert` json → xlsx",
    ):
        rows = [line for line in text.splitlines() if what in line]
        assert any(r.startswith("| 20 |") for r in rows) and any(
            r.startswith("| 40 |") for r in rows
        )
    results = json.loads((tmp_path / "cache" / "results.json").read_text(encoding="utf-8"))
    assert [s["size"] for s in results["sizes"]] == [20, 40]
    for size in results["sizes"]:
        for name in ("calamine", "validate", "report", "xlsx_to_json", "json_to_xlsx"):
            assert size["results"][name]["wall"] > 0 and size["results"][name]["rss_mb"] > 0
    assert results["batch"]["files"] == 4 and results["batch"]["speedup"] > 0
    assert {"help", "plugins"} <= set(results["startup"])


def test_the_launcher_measures_a_process_without_the_memory_of_its_caller(
    tmp_path: Path,
) -> None:
    """The kernel's peak for a child counts the memory it started as, a copy of its
    parent: the harness, grown large, starts measured processes through bench/launch.py."""
    ballast = bytearray(300 * 1024 * 1024)  # this process, grown large (pages touched)
    for at in range(0, len(ballast), 4096):
        ballast[at] = 1
    launcher = subprocess.Popen(
        [sys.executable, "-S", str(BENCH / "launch.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    job = {
        "argv": [sys.executable, "-c", "print('measured')"],
        "cwd": str(BENCH),
        "env": {"PATH": "/usr/bin:/bin"},
        "out": str(tmp_path / "out.txt"),
    }
    answer, _ = launcher.communicate(json.dumps(job) + "\n", timeout=60)
    measured = json.loads(answer)
    assert measured["status"] == 0
    assert Path(job["out"]).read_text(encoding="utf-8") == "measured\n"
    assert 0 < measured["maxrss_kb"] < 100 * 1024  # a bare interpreter, not 300 MB
    assert len(ballast) == 300 * 1024 * 1024
