"""Checks made on a file before any parser sees it.

A workbook arrives by e-mail from anyone. Before python-calamine or openpyxl inflate it,
the archive's directory is read (it is small) and refused when it is empty, not a
workbook, encrypted, or declares more entries, bytes or compression than the limits allow.
The limits are settings (``kenshu schema`` lists them; ``--set max_compression_ratio=200``
raises one for a run).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from attrs import frozen
from kenshu.settings import Setting
from kenshu.workbook.engines import ReadError

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or encrypted OOXML
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_MIB = 1024 * 1024

LIMIT_SETTINGS = (
    Setting(
        "max_archive_entries",
        2_000,
        "Most files a workbook archive may contain (a real workbook has dozens).",
        source="default",
    ),
    Setting(
        "max_uncompressed_mib",
        1_024,
        "Most MiB a workbook archive may inflate to, all entries together.",
        source="default",
    ),
    Setting(
        "max_entry_mib",
        512,
        "Most MiB one entry (one sheet's XML) of a workbook archive may inflate to.",
        source="default",
    ),
    Setting(
        "max_compression_ratio",
        100,
        "Largest ratio of inflated to compressed size for an entry, as Apache POI uses "
        "(entries under 1 MiB inflated are not checked).",
        source="Apache POI ZipSecureFile (minimum inflate ratio 0.01)",
    ),
    Setting(
        "max_rows_per_sheet",
        200_000,
        "Most rows a sheet may have; past it the file is refused.",
        source="default",
    ),
    Setting(
        "max_file_mib",
        512,
        "Largest workbook file, in MiB.",
        source="default",
    ),
)


@frozen
class Limits:
    """The limits in force for one run."""

    max_archive_entries: int = 2_000
    max_uncompressed_mib: int = 1_024
    max_entry_mib: int = 512
    max_compression_ratio: int = 100
    max_rows_per_sheet: int = 200_000
    max_file_mib: int = 512

    @classmethod
    def from_settings(cls, values: dict) -> Limits:
        names = {s.id for s in LIMIT_SETTINGS}
        return cls(**{k: v for k, v in values.items() if k in names})


def _raise_hint(setting: str) -> str:
    return f"raise it with --set {setting}=N if the file is trusted"


def check_file(path: str | Path, limits: Limits | None = None) -> None:
    """Refuse ``path`` with a :class:`ReadError` before any parser opens it, or return."""
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ReadError(path, "no such file", "file.missing") from None
    except IsADirectoryError:
        raise ReadError(path, "is a folder, not a workbook", "file.not-a-workbook") from None
    except OSError as exc:
        raise ReadError(path, f"cannot be opened ({exc.strerror})", "file.unreadable") from None
    if size == 0:
        raise ReadError(path, "the file is empty", "file.empty")
    if size > limits.max_file_mib * _MIB:
        raise ReadError(
            path,
            f"the file is {size / _MIB:.0f} MiB, over the limit max_file_mib="
            f"{limits.max_file_mib} ({_raise_hint('max_file_mib')})",
            "limit.file-size",
        )
    if head.startswith(_CFB_MAGIC):
        _check_compound_file(path)
        return
    if not head.startswith(_ZIP_MAGIC):
        kind = "text (CSV?)" if _looks_like_text(path) else "unknown binary data"
        raise ReadError(
            path,
            f"not a workbook: the content is {kind}, not an Excel or OpenDocument file "
            "whatever its name says",
            "file.not-a-workbook",
        )
    _check_zip(path, limits)


def _check_compound_file(path: Path) -> None:
    """An OLE file is a legacy .xls, or an encrypted .xlsx (EncryptionInfo stream)."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if any(marker in head for marker in _ENCRYPTED_MARKERS):
        raise ReadError(
            path,
            "the workbook is password-protected (encrypted); save an unprotected copy",
            "file.encrypted",
        )


def _check_zip(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ReadError(path, f"damaged or truncated archive ({exc})", "file.damaged") from None
    if len(entries) > limits.max_archive_entries:
        raise ReadError(
            path,
            f"the archive has {len(entries)} entries, over the limit max_archive_entries="
            f"{limits.max_archive_entries} ({_raise_hint('max_archive_entries')})",
            "limit.archive-entries",
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > limits.max_entry_mib * _MIB:
            raise ReadError(
                path,
                f"entry {entry.filename} inflates to {entry.file_size / _MIB:.0f} MiB, over the "
                f"limit max_entry_mib={limits.max_entry_mib} ({_raise_hint('max_entry_mib')})",
                "limit.entry-size",
            )
        if entry.file_size > _MIB and entry.file_size > limits.max_compression_ratio * max(
            entry.compress_size, 1
        ):
            ratio = entry.file_size / max(entry.compress_size, 1)
            raise ReadError(
                path,
                f"entry {entry.filename} is compressed {ratio:.0f}:1, over the limit "
                f"max_compression_ratio={limits.max_compression_ratio} (a zip bomb?; "
                f"{_raise_hint('max_compression_ratio')})",
                "limit.compression-ratio",
            )
    if total > limits.max_uncompressed_mib * _MIB:
        raise ReadError(
            path,
            f"the archive inflates to {total / _MIB:.0f} MiB, over the limit "
            f"max_uncompressed_mib={limits.max_uncompressed_mib} "
            f"({_raise_hint('max_uncompressed_mib')})",
            "limit.uncompressed-size",
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names and "mimetype" not in names:
        raise ReadError(
            path,
            "a zip archive but not a workbook (no [Content_Types].xml or mimetype entry)",
            "file.not-a-workbook",
        )


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample
