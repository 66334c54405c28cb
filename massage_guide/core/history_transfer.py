"""History files in and out: streaming CSV and JSON readers and writers, safe for spreadsheets.

Readers yield one row at a time with its line, so a million-row import needs little memory and linear
time; every problem is a message with a line number, never a traceback."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final, Protocol

from massage_guide.core.files import PRIVATE_FILE_MODE, one_line
from massage_guide.core.history_lines import CsvLines, JsonObjects
from massage_guide.core.history_records import HANDED_OVER, ReadRow, SessionRecord, bounded_int
from massage_guide.core.i18n import _
from massage_guide.core.transfer_problems import csv_problem, json_problem

# The CSV columns, exactly as issue 5 lists them (the JSON form adds routine_hash).
CSV_COLUMNS: Final = (
    "id", "routine_id", "routine_title", "started_at", "ended_at", "status", "planned_seconds",
    "active_seconds", "steps_completed", "steps_total", "tension_before", "tension_after", "note",
)  # fmt: skip
JSON_FIELDS: Final = frozenset((*CSV_COLUMNS, "routine_hash"))
FORMATS: Final = (".csv", ".json")


@functools.cache
def plain_csv_lines() -> CsvLines:
    """The fast path for CSV lines, compiled on first use (only an import needs it)."""
    return CsvLines(CSV_COLUMNS)


@functools.cache
def plain_json_objects() -> JsonObjects:
    """The fast path for JSON session objects, compiled on first use."""
    return JsonObjects()


# Read in pieces this big: large enough to be fast, small enough that memory stays flat.
CHUNK_CHARS: Final = 1 << 20
# One session object in a JSON file; a long note is a few KiB, so this only stops a runaway element.
JSON_ELEMENT_MAX_CHARS: Final = 1 << 20
# A CSV cell (a note); the csv module's own default, stated so it is ours.
CSV_FIELD_MAX_CHARS: Final = 131_072

# OWASP's advice on CSV injection: a cell a spreadsheet would run as a formula starts with one of these.
# Such a cell gets a leading ' (and a cell already starting with quotes before one gets one more), so
# importing removes exactly one and the round trip stays exact.
_FORMULA: Final = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED: Final = re.compile(r"'+[=+\-@\t\r]")
_SPACE: Final = re.compile(r"[ \t\r\n]*")  # JSON's whitespace


class FileShapeError(Exception):
    """The file as a whole cannot be read (not CSV or JSON of the right shape); nothing is imported."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if _FORMULA.match(cell) else cell


def restore(cell: str) -> str:
    """The inverse of neutralise."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell


# --- writing ------------------------------------------------------------------------------------------


def csv_lines(records: Iterable[SessionRecord]) -> Iterator[str]:
    """The CSV export: the header, then one line per session; every cell quoted and safe to open."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        values = record.to_dict()
        writer.writerow(
            ["" if values[name] is None else neutralise(str(values[name])) for name in CSV_COLUMNS]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_lines(records: Iterable[SessionRecord]) -> Iterator[str]:
    """The JSON export: a list with one session per line, so it reads and diffs well."""
    first = True
    for record in records:
        yield ("[\n" if first else ",\n") + json.dumps(record.to_dict(), ensure_ascii=False)
        first = False
    yield "[]\n" if first else "\n]\n"


def export_sessions(records: Iterable[SessionRecord], path: Path) -> int:
    """Write ``records`` to ``path`` (.csv or .json by its name) through a private ``.partial`` file, so a
    failed write never leaves half a file; returns how many were written. Raises OSError."""
    count = 0

    def counted() -> Iterator[SessionRecord]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    lines = csv_lines(counted()) if path.suffix.lower() == ".csv" else json_lines(counted())
    partial = path.with_name(path.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        with open(fd, "w", encoding="utf-8", newline="") as handle:  # noqa: PTH123 - from a descriptor
            os.fchmod(fd, PRIVATE_FILE_MODE)  # health data: private even if .partial was there before
            handle.writelines(lines)
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return count


# --- reading ------------------------------------------------------------------------------------------


class Handover(Protocol):
    """Another reader's rows for part of the file (history_helper.ImportHelper)."""

    line: int  # the line where they start

    def take(self) -> tuple[io.TextIOBase, int] | None:
        """The file after them and the number of its first line; None when there are none."""


def open_text(path: Path, offset: int = 0) -> io.TextIOWrapper:
    """Open an import file for streaming (from byte ``offset``, the start of a line), refusing anything but
    a regular file (a pipe would hang). Raises OSError (FileNotFoundError, or one whose strerror says what
    is wrong)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, _("it is not a regular file (a folder, pipe or device)"))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        raw = os.fdopen(fd, "rb")
        if offset:
            raw.seek(offset)
    except BaseException:
        os.close(fd)
        raise
    # Bytes that are not UTF-8 become lone surrogates, which the row checks report on their own line.
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape", newline="")


def read_rows(path: Path, handover: Handover | None = None) -> Iterator[tuple[int, ReadRow]]:
    """(line, row) per session in a .csv or .json file: a row already checked (a plain line), a field
    mapping to check, or a problem with a bad row; HANDED_OVER where ``handover``'s rows go in.
    Raises FileShapeError when the file as a whole is unreadable, OSError when it cannot be opened."""
    with open_text(path) as stream:
        if path.suffix.lower() == ".csv":
            yield from csv_rows(stream, handover=handover)
        else:
            yield from json_rows(stream, handover=handover)


def _no_plain_line(_line: str) -> None:
    return None


def _no_plain_object(_text: str, _position: int) -> None:
    return None


class _Lines:
    """The physical lines of a stream, for the csv module, with room to put one line back."""

    def __init__(self, source: Iterator[str]) -> None:
        self.source = source
        self.back: str | None = None
        self.count = 0  # lines handed out

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line, self.back = (next(self.source) if self.back is None else self.back), None
        self.count += 1
        return line


def csv_rows(
    stream: io.TextIOBase, *, plain: bool = True, handover: Handover | None = None
) -> Iterator[tuple[int, ReadRow]]:
    """(line, row) per data row: the checked row when the line is a plain one (history_lines), else the
    row as a mapping to check; or (line, problem text) for a row of the wrong shape. ``plain=False``
    reads every row the long way (tests compare the two). Arriving at ``handover.line`` at the start of a
    row, it gives HANDED_OVER and goes on after the handed-over rows."""
    csv.field_size_limit(CSV_FIELD_MAX_CHARS)
    source: Iterator[str] | None = iter(stream)
    assert source is not None
    lines = _Lines(source)
    reader = csv.reader(lines)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise FileShapeError(
            1, _("not readable as CSV ({error})").format(error=csv_problem(str(error)))
        ) from None
    if header is None or tuple(header) != CSV_COLUMNS:
        raise FileShapeError(
            1, _("the first line must be exactly: {columns}").format(columns=",".join(CSV_COLUMNS))
        )
    checks = plain_csv_lines().row if plain else _no_plain_line
    width = len(CSV_COLUMNS)
    number = lines.count  # the line last read
    turn = -1 if handover is None else handover.line
    while source is not None:
        current, source = source, None
        for text in current:
            number += 1
            if number == turn and handover is not None:  # the start of a row: the helper's rows go here
                taken = handover.take()
                turn = -1
                if taken is not None:
                    yield number, HANDED_OVER
                    source = lines.source = iter(taken[0])
                    number = taken[1] - 1
                    break
            checked = checks(text)
            if checked is not None:
                yield number, checked
                continue
            # The long way, for this row only: the csv module reads it from this line on (a quoted cell
            # may go on over more lines), then the plain lines after it are matched again.
            start, lines.back, lines.count = number, text, 0
            try:
                row = next(reader)
            except StopIteration:  # not after a line put back; stated so a generator never leaks one
                return
            except csv.Error as error:
                yield start, _("not readable as CSV ({error})").format(error=csv_problem(str(error)))
                continue
            finally:
                number += lines.count - 1
            if not row:
                continue
            if len(row) != width:
                yield start, _("expected {width} columns, found {found}").format(width=width, found=len(row))
                continue
            # Only a cell starting with ' can have been neutralised: a row without ' skips the pattern.
            if "'" in "".join(row):
                row = [restore(cell) if cell[:1] == "'" else cell for cell in row]
            yield start, dict(zip(CSV_COLUMNS, row, strict=True))


def _number(value: int) -> str:
    """``1,234`` in English, ``1.234`` in German (Babel loads only for this message)."""
    from massage_guide.core import formatting

    return formatting.number(value)


def _no_constant(name: str) -> Any:
    raise ValueError(_("{name} is not a number JSON allows").format(name=name))


_DECODER: Final = json.JSONDecoder(parse_int=bounded_int, parse_constant=_no_constant)
# The same with int() inside the C scanner: several times faster per number. Python refuses to convert
# a number of more than sys.get_int_max_str_digits() digits (4,300 by default; 0 lifts the limit) with a
# ValueError, and then _DECODER reads that session again, keeping the long number as text.
_FAST_DECODER: Final = json.JSONDecoder(parse_constant=_no_constant)
_FAST_INTS_UP_TO_DIGITS: Final = 5000  # int() of longer numbers takes long enough to matter


def _raw_decode(text: str, position: int) -> tuple[Any, int]:
    """JSONDecoder.raw_decode, converting numbers in C unless one is too long for int() to refuse."""
    if 0 < sys.get_int_max_str_digits() <= _FAST_INTS_UP_TO_DIGITS:
        try:
            return _FAST_DECODER.raw_decode(text, position)
        except json.JSONDecodeError:
            raise
        except ValueError:  # a number too long for int(), or NaN: the careful decoder says which
            pass
    return _DECODER.raw_decode(text, position)


class _JsonStream:
    """A window on a JSON text read piece by piece, knowing the line of its current position."""

    def __init__(self, stream: io.TextIOBase, line: int = 1) -> None:
        self.stream = stream
        self.text = ""
        self.position = 0
        self.line = line
        self.ended = False

    def at_line_start(self) -> bool:
        """Whether the position is just after a line break (False when that is no longer in view)."""
        return self.position > 0 and self.text[self.position - 1] == "\n"

    def more(self, at_least: int = CHUNK_CHARS) -> bool:
        """Read more text (dropping what was used); False at the end of the file."""
        if self.ended:
            return False
        piece = self.stream.read(max(at_least, CHUNK_CHARS))
        if not piece:
            self.ended = True
            return False
        self.text = self.text[self.position :] + piece
        self.position = 0
        return True

    def skip_space(self) -> str:
        """Move past whitespace; returns the next character, or '' at the end."""
        while True:
            text, position = self.text, self.position
            space = _SPACE.match(text, position)
            end = space.end() if space else position
            if end > position:
                self.line += text.count("\n", position, end)
                self.position = position = end
            if position < len(text):
                return text[position]
            if not self.more():
                return ""

    def advance(self, end: int) -> None:
        self.line += self.text.count("\n", self.position, end)
        self.position = end

    def decode(self) -> Any:
        """The next JSON value; raises FileShapeError when it is not valid JSON."""
        while True:
            try:
                value, end = _raw_decode(self.text, self.position)
            except json.JSONDecodeError as error:
                if self._grow():
                    continue
                line = self.line + self.text.count("\n", self.position, error.pos)
                message = _("not valid JSON ({error}); nothing was imported").format(
                    error=json_problem(error.msg)
                )
                raise FileShapeError(line, message) from None
            except RecursionError:
                raise FileShapeError(
                    self.line, _("a session nests lists or objects too deeply; nothing was imported")
                ) from None
            except ValueError as error:  # NaN or Infinity
                message = _("not valid JSON ({error}); nothing was imported").format(error=error)
                raise FileShapeError(self.line, message) from None
            if end == len(self.text) and self._grow():
                continue  # a value that ends exactly at the end of what was read may go on
            self.advance(end)
            return value

    def _grow(self) -> bool:
        if len(self.text) - self.position > JSON_ELEMENT_MAX_CHARS:
            raise FileShapeError(
                self.line,
                _("one session is more than {count} characters long; nothing was imported").format(
                    count=_number(JSON_ELEMENT_MAX_CHARS)
                ),
            )
        return self.more(len(self.text))


def json_rows(
    stream: io.TextIOBase, *, plain: bool = True, handover: Handover | None = None
) -> Iterator[tuple[int, ReadRow]]:
    """(line, row) per element of the top-level list, each with the line its object starts on: the
    checked row for a plain session object (history_lines), else the value to check. ``plain=False``
    decodes every element (tests compare the two). Arriving at the start of ``handover.line`` between
    two sessions, it gives HANDED_OVER and goes on after the handed-over ones."""
    reader = _JsonStream(stream)
    if reader.skip_space() != "[":
        raise FileShapeError(reader.line, _("expected a JSON list of sessions, starting with ["))
    reader.advance(reader.position + 1)
    if reader.skip_space() == "]":
        reader.advance(reader.position + 1)
        _expect_end(reader)
        return
    checks = plain_json_objects().row if plain else _no_plain_object
    turn = -1 if handover is None else handover.line
    while True:
        line = reader.line
        if line == turn and handover is not None and reader.at_line_start():
            turn = -1
            taken = handover.take()
            if taken is not None:
                yield line, HANDED_OVER
                reader = _JsonStream(taken[0], line=taken[1])
                reader.skip_space()
                continue
        checked = checks(reader.text, reader.position)
        if checked is not None:  # a plain session object, on one line: the position moves, the line not
            row, reader.position = checked
            yield line, row
            if reader.text.startswith(",\n{", reader.position):  # as the export separates them
                reader.position += 2
                reader.line += 1
                continue
        elif not isinstance(value := reader.decode(), dict):
            yield line, _("each session must be a JSON object {...}")
        elif not JSON_FIELDS.issuperset(value):
            name = one_line(sorted(set(value) - JSON_FIELDS)[0][:40])
            yield (
                line,
                _("unknown field {name}; the fields are {fields}").format(
                    name=repr(name), fields=", ".join(sorted(JSON_FIELDS))
                ),
            )
        else:
            yield line, value
        following = reader.skip_space()
        if following == ",":
            reader.advance(reader.position + 1)
            reader.skip_space()
            continue
        if following == "]":
            reader.advance(reader.position + 1)
            _expect_end(reader)
            return
        raise FileShapeError(reader.line, _("expected , or ] after a session; nothing was imported"))


def _expect_end(reader: _JsonStream) -> None:
    if reader.skip_space() != "":
        raise FileShapeError(reader.line, _("there is more after the closing ]; nothing was imported"))
