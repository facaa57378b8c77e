"""JSON text read from a file piece by piece, a whole value at a time.

The standard library's C decoder decodes each value; only the structure around the values
(the outer object, the lists of records) is walked here. A cohort of any size is then read
holding one record's text at a time, with the same errors, lines and columns as
``json.loads`` gives for the whole text.
"""

from __future__ import annotations

import json
import re
from typing import Any


class JsonSyntaxError(ValueError):
    """Not JSON: ``msg`` says what, ``lineno`` and ``colno`` where (as json's own error)."""

    def __init__(self, msg: str, lineno: int, colno: int) -> None:
        super().__init__(f"{msg}: line {lineno} column {colno}")
        self.msg, self.lineno, self.colno = msg, lineno, colno


class JsonSurrogateError(ValueError):
    """Text holding a lone UTF-16 surrogate (a ``\\ud800`` escape without its pair)."""


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
#: Characters read from the file at a time. More only costs memory (a million held 9 MB
#: more, as strings of two bytes a character and their copies), not time.
_READ_CHARS = 1 << 18


class JsonStream:
    """A JSON text read from a file piece by piece: the standard library's C decoder
    decodes each value (a whole record), and only the outer object and the lists of
    records are walked here, so that only one record's text is held at a time."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.lines = 1  # line of the buffer's start
        self.column = 0  # characters between the last newline dropped and the buffer's start
        self.decoder = json.JSONDecoder()
        self.surrogate = False

    def _more(self, at_least: int = 0) -> bool:
        """Read more text (dropping what was consumed); False at the end of the file."""
        if self.eof:
            return False
        dropped = self.buffer[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self.lines += newlines
            self.column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self.column += len(dropped)
        piece = self.handle.read(max(at_least, _READ_CHARS))
        self.buffer = self.buffer[self.pos :] + piece
        self.pos = 0
        if not piece:
            self.eof = True
        return bool(piece)

    def syntax_error(self, msg: str, pos: int | None = None) -> JsonSyntaxError:
        pos = self.pos if pos is None else pos
        newlines = self.buffer.count("\n", 0, pos)
        # (within the buffer: from the newline before; else from the dropped text's)
        column = pos - self.buffer.rfind("\n", 0, pos) if newlines else self.column + pos + 1
        return JsonSyntaxError(msg, self.lines + newlines, column)

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _WHITESPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def value(self) -> Any:
        """The next whole value."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise self.syntax_error(exc.msg, exc.pos) from None
                self._more(len(self.buffer))  # maybe only cut short: read more, try again
                continue
            # a number or a word at the very end of the buffer may go on beyond it
            if end == len(self.buffer) and not self.eof:
                self._more(len(self.buffer))
                continue
            if _SURROGATE_ESCAPE.search(self.buffer, self.pos, end):
                try:  # a \ud800 escape without its pair decodes to a lone surrogate
                    json.dumps(value, ensure_ascii=False).encode("utf-8")
                except UnicodeEncodeError:
                    self.surrogate = True
            self.pos = end
            return value

    def expect(self, allowed: str, what: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            raise self.syntax_error(f"Expecting {what}")
        self.pos += 1
        return char
