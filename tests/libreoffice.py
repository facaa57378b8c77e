"""Driving LibreOffice Calc (``soffice --headless``) from the tests.

Import with ``from libreoffice import ...`` (pytest puts this folder on ``sys.path``).

Every call gets its own throw-away user profile (``-env:UserInstallation``): two soffice
processes sharing a profile block on its lock, and a profile left by a person's own
LibreOffice must not change what the tests see. A conversion that leaves no output file is an
error here, because soffice itself exits 0 when it cannot load or write a file.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pytest

#: Seconds one soffice run may take; the first start on a fresh machine builds a profile
#: and registers its extensions, which is slow on a busy 2-core machine.
TIMEOUT = 600

#: The CSV export filter, all sheets, one file each (``-1``, LibreOffice 7.2 and later):
#: comma, double quotes, UTF-8 (76), from line 1, no column formats, default language,
#: cell values as stored, not as shown (token 9 false) and not formulas (token 10 false).
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
CSV_ALL_SHEETS_SINCE = (7, 2)


class ConversionError(RuntimeError):
    """soffice failed, timed out, or produced no file."""


def find_soffice() -> str | None:
    """The soffice executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """The soffice executable; without one, skip the test, or fail it when ``CI`` is set
    (CI installs LibreOffice in ``.ci/run`` and must never skip these tests silently)."""
    soffice = find_soffice()
    if soffice is not None:
        return soffice
    reason = "LibreOffice (soffice) is not on PATH; install it (Debian: libreoffice-calc)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the LibreOffice round-trip tests", pytrace=False)
    pytest.skip(reason)
    raise AssertionError("unreachable")  # pytest.skip raises; this keeps type checkers calm


@lru_cache(maxsize=4)
def soffice_version(soffice: str) -> tuple[int, ...]:
    """LibreOffice's version as numbers, e.g. ``(7, 4, 7, 2)``, from ``soffice --version``."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = _run([soffice, _profile_arg(profile), "--version"], timeout=TIMEOUT)
    match = re.search(r"LibreOffice\S*\s+(\d+(?:\.\d+)+)", result.stdout)
    if match is None:
        raise ConversionError(f"cannot tell the LibreOffice version from {result.stdout!r}")
    return tuple(int(part) for part in match[1].split("."))


def convert(
    sources: Sequence[str | Path],
    target: str,
    outdir: str | Path,
    *,
    soffice: str | None = None,
    timeout: float = TIMEOUT,
) -> list[Path]:
    """Open each of ``sources`` in Calc and save it into ``outdir`` as ``target`` (an
    extension such as ``xlsx`` or ``ods``, optionally with ``:filter``); returns the files
    written, in the order of ``sources``."""
    extension = target.split(":", 1)[0]
    outdir = Path(outdir)
    expected = [outdir / f"{Path(source).stem}.{extension}" for source in sources]
    _convert(sources, target, outdir, expected, soffice=soffice, timeout=timeout)
    return expected


def export_csv_sheets(
    source: str | Path,
    sheet_names: Iterable[str],
    outdir: str | Path,
    *,
    soffice: str | None = None,
    timeout: float = TIMEOUT,
) -> dict[str, Path]:
    """Export every sheet of ``source`` as CSV with Calc; returns ``{sheet name: file}``.

    ``sheet_names`` are the sheets the workbook has (LibreOffice names each file
    ``STEM-SHEET.csv``); a sheet that gets no file is an error.
    """
    soffice = soffice or require_soffice()
    version = soffice_version(soffice)
    if version < CSV_ALL_SHEETS_SINCE:
        raise ConversionError(
            f"LibreOffice {'.'.join(map(str, version))} cannot export every sheet as CSV "
            f"(needs {'.'.join(map(str, CSV_ALL_SHEETS_SINCE))} or later)"
        )
    outdir = Path(outdir)
    stem = Path(source).stem
    files = {name: outdir / f"{stem}-{name}.csv" for name in sheet_names}
    _convert(
        [source], CSV_ALL_SHEETS, outdir, list(files.values()), soffice=soffice, timeout=timeout
    )
    return files


def _convert(
    sources: Sequence[str | Path],
    target: str,
    outdir: Path,
    expected: list[Path],
    *,
    soffice: str | None,
    timeout: float,
) -> None:
    soffice = soffice or require_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    for path in expected:
        path.unlink(missing_ok=True)  # an old file must not pass for a new one
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        command = [
            soffice,
            _profile_arg(profile),
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *(str(Path(source).resolve()) for source in sources),
        ]
        result = _run(command, timeout=timeout)
    missing = [path for path in expected if not path.is_file() or path.stat().st_size == 0]
    if missing:
        raise ConversionError(
            f"soffice --convert-to {target} wrote no {', '.join(p.name for p in missing)} "
            f"in {outdir} (exit {result.returncode})\nstdout: {result.stdout.strip()}\n"
            f"stderr: {result.stderr.strip()}"
        )


def _profile_arg(folder: str | Path) -> str:
    return f"-env:UserInstallation={Path(folder).resolve().as_uri()}"


def _run(command: list[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
    # soffice is a script that starts soffice.bin as a child: on a timeout, end the whole
    # process group this run created, so that no stray office process keeps running.
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(f"{' '.join(command)} took more than {timeout:g} s") from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
