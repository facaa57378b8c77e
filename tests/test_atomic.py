"""Outputs are written atomically: a reader finds the previous file or the new one, never
half of one, even when the writing process is killed (SIGKILL) midway."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import make_cohort, run_cli
from kenshu.atomic import atomic_path, write_text


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def big_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cohort of 3,000 participants, as JSON: its workbook takes a while to write."""
    folder = tmp_path_factory.mktemp("big")
    book = make_cohort(folder)
    source = folder / "small.json"
    assert run_cli("convert", str(book), str(source)).exit_code == 0
    payload = json.loads(source.read_text(encoding="utf-8"))
    first = payload["participants"][0]
    payload["participants"] = [
        {**first, "participant_id": f"P{n:05d}", "family_name": f"Name {n}"} for n in range(3000)
    ]
    big = folder / "big.json"
    big.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return big


def kill_while_writing(source: Path, target: Path) -> bool:
    """Start ``kenshu convert source target``; SIGKILL it as soon as its temporary file
    appears beside the target. True if it was killed midway, False if it finished first."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kenshu", "convert", str(source), str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    prefix = f".{target.name}."
    try:
        deadline = time.monotonic() + 300
        while process.poll() is None and time.monotonic() < deadline:
            parts = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
            if parts and parts[0].stat().st_size > 0:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
                return True
            time.sleep(0.001)
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("previous", [True, False])
def test_a_killed_writer_leaves_the_previous_file_or_none(
    big_json: Path, tmp_path: Path, previous: bool
) -> None:
    target = tmp_path / "out.xlsx"
    old = b"the previous version of out.xlsx"
    for _attempt in range(5):
        if previous:
            target.write_bytes(old)
        else:
            target.unlink(missing_ok=True)
        if kill_while_writing(big_json, target):
            break
    else:
        pytest.fail("the writer always finished before it could be killed")
    if previous:
        assert target.read_bytes() == old
    else:
        assert not target.exists()
    # what the killed process left is its temporary file, and it is incomplete
    (part,) = [p for p in tmp_path.iterdir() if p.name.startswith(".out.xlsx.")]
    assert part.name.endswith(".part")
    assert not zipfile.is_zipfile(part) or part.stat().st_size < 1000
    # the next run writes the whole file
    assert run_cli("convert", str(big_json), str(target)).exit_code == 0
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None


def test_an_error_while_writing_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # the temporary file is gone


def test_write_text_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.json"
    write_text(target, "first")
    write_text(target, "second")
    assert target.read_text() == "second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.json"]
    mode = target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # an ordinary file, not mkstemp's 0600


def test_refused_output_is_never_created_and_input_never_touched(
    valid_book: Path, tmp_path: Path
) -> None:
    before = digest(valid_book)
    result = run_cli("convert", str(valid_book), str(valid_book))
    assert result.exit_code == 2
    assert "kenshu never overwrites its inputs" in result.stderr
    assert digest(valid_book) == before
