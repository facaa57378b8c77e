"""``kenshu batch``: every workbook of a real folder converted, in parallel processes, with
a broken file among good ones; outputs mirror the source tree and are read back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from helpers import json_output, make_cohort, participant, run_cli, run_kenshu
from kenshu.batch import FAILED, FINDINGS, OK, find_workbooks, run_batch, target_for


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder tree: two valid workbooks, one with an error, one broken, a lock file and
    a text file; built once, copied by each test that writes beside it."""
    root = tmp_path_factory.mktemp("batch-src")
    made = tmp_path_factory.mktemp("batch-made")
    valid = make_cohort(made, "valid.xlsx")
    wrong = make_cohort(
        made,
        "wrong.xlsx",
        participants=[participant("P01"), participant("P02", recommended=False)],
    )
    (root / "kanagawa" / "2024").mkdir(parents=True)
    (root / "kochi").mkdir()
    shutil.copyfile(valid, root / "kanagawa" / "2024" / "yokohama.xlsx")
    shutil.copyfile(valid, root / "kochi" / "nankoku.xlsx")
    shutil.copyfile(wrong, root / "kochi" / "kasama.xlsx")
    (root / "kochi" / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip archive")
    (root / "kochi" / "~$nankoku.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file
    (root / "kochi" / "notes.txt").write_text("not a workbook", encoding="utf-8")
    return root


def by_name(items) -> dict[str, object]:
    return {item.source.name: item for item in items}


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_workbook_is_converted_and_a_broken_one_fails_alone(
    sources: Path, tmp_path: Path, jobs: int
) -> None:
    dest = tmp_path / "out"
    seen = []
    items = run_batch(sources, dest, "json", jobs=jobs, progress=seen.append)
    assert sorted(i.source.name for i in seen) == sorted(i.source.name for i in items)
    result = by_name(items)
    assert set(result) == {"yokohama.xlsx", "nankoku.xlsx", "kasama.xlsx", "broken.xlsx"}
    broken = result["broken.xlsx"]
    assert broken.status == FAILED and broken.target is None and broken.reason
    assert "kasama.xlsx" in {n for n, i in result.items() if i.status == FINDINGS}
    assert result["kasama.xlsx"].errors >= 1  # not recommended: an error
    # the outputs mirror the tree, and each is the cohort kenshu reads from the workbook
    written = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert written == ["kanagawa/2024/yokohama.json", "kochi/kasama.json", "kochi/nankoku.json"]
    single = tmp_path / "single.json"
    run = run_cli("convert", str(sources / "kochi" / "kasama.xlsx"), str(single))
    assert run.exit_code == 0, run.output
    assert json.loads((dest / "kochi" / "kasama.json").read_text(encoding="utf-8")) == json.loads(
        single.read_text(encoding="utf-8")
    )


def test_the_command_prints_a_log_line_per_file_and_a_summary_and_exits_1(
    sources: Path, tmp_path: Path
) -> None:
    result = run_cli("batch", str(sources), str(tmp_path / "out"), "--to", "xlsx", "--jobs", "2")
    assert result.exit_code == 1, result.output  # one file failed
    log = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(log) == 4 and all(line.split("]")[0].endswith("/4") for line in log)
    assert any("broken.xlsx FAILED" in line for line in log)
    assert "4 workbook(s): 2 ok, 1 with findings, 1 failed" in result.stdout
    table = result.stdout.split("\n\n", 1)[1]
    assert "kochi/broken.xlsx" in table and "failed" in table
    assert "kochi/kasama.xlsx" in table and "with findings" in table
    assert "yokohama" not in table  # files converted cleanly are counted, not listed
    # a normalised workbook comes back with the same participants
    book = openpyxl.load_workbook(tmp_path / "out" / "kochi" / "kasama.xlsx", read_only=True)
    assert "Participants" in book.sheetnames
    book.close()


def test_glob_filters_and_reports_go_beside_each_other(sources: Path, tmp_path: Path) -> None:
    dest = tmp_path / "reports"
    result = run_cli(
        "batch", str(sources), str(dest), "--to", "report", "--glob", "kochi/*", "--json"
    )
    payload = json_output(result)
    assert result.exit_code == 1  # broken.xlsx is in kochi/
    assert payload["summary"] == {OK: 1, FINDINGS: 1, FAILED: 1}
    names = sorted(Path(f["source"]).name for f in payload["files"])
    assert names == ["broken.xlsx", "kasama.xlsx", "nankoku.xlsx"]
    report = openpyxl.load_workbook(dest / "kochi" / "nankoku-report.xlsx", read_only=True)
    assert {"Summary", "Schedule", "Findings"} <= set(report.sheetnames)
    report.close()
    only = run_cli("batch", str(sources), str(tmp_path / "y"), "--to", "json", "--glob", "yoko*")
    assert only.exit_code == 0, only.output
    assert "1 workbook(s): 1 ok, 0 with findings, 0 failed" in only.stdout


def test_a_real_process_with_the_default_jobs(sources: Path, tmp_path: Path) -> None:
    good = tmp_path / "good"
    shutil.copytree(sources, good)
    (good / "kochi" / "broken.xlsx").unlink()
    done = run_kenshu("batch", str(good), str(tmp_path / "out"), "--to", "json")
    assert done.returncode == 0, done.stderr
    assert "3 workbook(s): 2 ok, 1 with findings, 0 failed" in done.stdout
    assert len(list((tmp_path / "out").rglob("*.json"))) == 3


def test_outputs_inside_the_source_folder_are_not_read_again(sources: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(sources, tree)
    first = run_cli("batch", str(tree), str(tree / "normalised"), "--to", "xlsx")
    second = run_cli("batch", str(tree), str(tree / "normalised"), "--to", "xlsx")
    assert first.exit_code == second.exit_code == 1
    assert "4 workbook(s)" in second.stdout  # not 7: its own outputs are left out
    assert len(find_workbooks(tree)) == 7  # the lock file and the text file are not workbooks
    assert len(find_workbooks(tree, exclude=tree / "normalised")) == 4


def test_usage_errors_exit_2(sources: Path, tmp_path: Path) -> None:
    missing = run_cli("batch", str(tmp_path / "nope"), str(tmp_path / "out"), "--to", "json")
    assert missing.exit_code == 2 and "no such folder" in missing.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    none = run_cli("batch", str(empty), str(tmp_path / "out"), "--to", "json")
    assert none.exit_code == 2 and "no workbooks" in none.stderr
    same = run_cli("batch", str(sources), str(sources), "--to", "json")
    assert same.exit_code == 2
    wrong = run_cli("batch", str(sources), str(tmp_path / "o"), "--to", "csv")
    assert wrong.exit_code == 2


def test_targets_mirror_the_tree(tmp_path: Path) -> None:
    source = tmp_path / "src" / "a" / "b" / "hosts.xls"
    assert target_for(source, tmp_path / "src", tmp_path / "dst", "xlsx") == (
        tmp_path / "dst" / "a" / "b" / "hosts.xlsx"
    )
    assert target_for(source, tmp_path / "src", tmp_path / "dst", "report").name == (
        "hosts-report.xlsx"
    )


def test_only_the_output_folder_itself_is_left_out(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output folder is matched by its path, however either folder is written: a
    sibling whose name starts the same is still read, through a link to the source too."""
    tree = tmp_path / "tree"
    shutil.copytree(sources, tree)
    (tree / "normalised").mkdir()
    shutil.copyfile(tree / "kochi" / "nankoku.xlsx", tree / "normalised" / "old.xlsx")
    (tree / "normalised-2023").mkdir()
    shutil.copyfile(tree / "kochi" / "nankoku.xlsx", tree / "normalised-2023" / "kept.xlsx")
    (tmp_path / "link").symlink_to(tree, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for source, exclude in [
        (tree, tree / "normalised"),
        (Path("tree"), Path("tree/normalised")),
        (Path("link"), tree / "normalised"),
        (tree, Path("link/normalised")),
    ]:
        names = sorted(p.name for p in find_workbooks(source, exclude=exclude))
        assert names == ["broken.xlsx", "kasama.xlsx", "kept.xlsx", "nankoku.xlsx", "yokohama.xlsx"]
    assert len(find_workbooks(tree, exclude=tmp_path / "elsewhere")) == 6
