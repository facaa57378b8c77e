"""Writing outputs atomically: a reader sees the previous file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class SameFileError(ValueError):
    """The output would overwrite one of the inputs."""


def same_file(path: str | Path, other: str | Path) -> bool:
    """Do two paths name one file (the same inode, or the same resolved path)?"""
    a, b = Path(path), Path(other)
    try:
        if a.exists() and b.exists() and a.samefile(b):
            return True
    except OSError:
        pass
    return a.resolve() == b.resolve()


def refuse_overwriting_inputs(output: str | Path, inputs: list[str | Path]) -> None:
    """Raise :class:`SameFileError` when ``output`` is one of ``inputs``: inputs are never
    modified."""
    for item in inputs:
        if same_file(output, item):
            raise SameFileError(f"{output}: is an input file; kenshu never overwrites its inputs")


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    On any error the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    # mkstemp creates 0600; outputs are ordinary files, readable as the umask allows
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        yield temporary
        with open(temporary, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise


def write_text(target: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``target`` atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding=encoding)
