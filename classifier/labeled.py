"""The labeled-page interchange format: JSONL (optionally gzip), one page per line.

``{"id", "lines": [str], "labels": ["content"|"chrome"|null]}`` with null exactly on blank
lines; optional ``link_chars``, ``lang``, ``site``, ``url``, ``dataset``, ``kind``, ``scored``,
``structure`` (``{"values": [[int]], "tokens": [str]}``, per line: ``classifier.structure``)
and ``labeled_by_hand`` (true on a page whose labels a person set or corrected, as
``boilerline serve`` saves them; training weighs its lines more).

``scored`` (indices of lines) marks a partially labeled page: only those lines' labels are
trusted, the other non-blank lines carry a provisional ``chrome`` and only give context.
Pages from partial golds (trafilatura's must-include/must-exclude snippets) use it.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from classifier.atomic import atomic_output
from classifier.page import Page
from classifier.structure import LineStructure

OPTIONAL_FIELDS = ("link_chars", "lang", "site", "url", "dataset", "kind")
SCORED = "scored"
STRUCTURE = "structure"
# Page.extra flag: a person labeled the lines (hand-labeled gold, a corrected annotation
# file), as opposed to labels derived by aligning the page with a gold text.
LABELED_BY_HAND = "labeled_by_hand"


class Location(NamedTuple):
    """A record of an input: the file (or ``<stdin>``) and the record's place in it
    (``line 12``, ``row 3``, ``record 5``)."""

    input: str
    record: str

    def __str__(self) -> str:
        return f"{self.input}:{self.record}"


class InputError(ValueError):
    """Bad input: a file or a record of one (``where``) and the problem, told in one line
    (``file: problem``, ``file:line 12: problem``). ``record_id`` is the record's own id,
    when it has one. ``as_record`` gives the line of an errors file."""

    def __init__(self, where: str | Path | Location, reason: str, record_id: str | None = None) -> None:
        super().__init__(where, reason, record_id)  # the arguments again when unpickled
        self.where = where
        self.reason = reason
        self.record_id = record_id

    def __str__(self) -> str:
        named = f" ({self.record_id})" if self.record_id is not None else ""
        return f"{self.where}{named}: {self.reason}"

    @property
    def input(self) -> str:
        return self.where.input if isinstance(self.where, Location) else str(self.where)

    def as_record(self) -> dict:
        """``{"id", "input", "record", "reason"}``: ``record`` is the place in the input
        (null for a whole file), ``id`` the record's own id (null when unknown)."""
        record = self.where.record if isinstance(self.where, Location) else None
        return {"id": self.record_id, "input": self.input, "record": record, "reason": self.reason}


def open_text(path: Path):
    """Open a text file for reading, transparently un-gzipping ``*.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def open_bytes(path: Path):
    """Open a file for reading bytes, transparently un-gzipping ``*.gz``."""
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def record_page_id(record: dict, where: Location) -> str:
    """The id of a labeled record's page: its ``id``, else ``where`` it was read."""
    return str(record.get("id", where))


def page_from_labeled_record(record: dict, where: Location) -> Page:
    """Build a Page from one labeled record; raise InputError naming ``where`` if malformed."""
    if not isinstance(record, dict) or not isinstance(record.get("lines"), list):
        raise InputError(where, "record has no 'lines' list")
    if not isinstance(record.get("labels"), list):
        raise InputError(where, "record has no 'labels' list")
    scored = record.get(SCORED)
    if scored is not None and not (isinstance(scored, list) and all(isinstance(i, int) for i in scored)):
        raise InputError(where, f"'{SCORED}' must be a list of line indices")
    try:
        return Page(
            page_id=record_page_id(record, where),
            lines=[str(line) for line in record["lines"]],
            labels=record["labels"],
            link_chars=record.get("link_chars"),
            structure=_structure_of(record.get(STRUCTURE), where),
            site=record.get("site") or None,
            url=record.get("url") or None,
            lang=record.get("lang") or None,
            dataset=record.get("dataset") or None,
            kind=record.get("kind") or None,
            extra=_extra_of(record),
        )
    except ValueError as error:
        raise InputError(where, str(error)) from None


def _extra_of(record: dict) -> dict:
    """The page's ``extra``: its scored lines and whether a person labeled it, when the record says."""
    extra = {}
    if record.get(SCORED) is not None:
        extra[SCORED] = record[SCORED]
    if record.get(LABELED_BY_HAND) is True:
        extra[LABELED_BY_HAND] = True
    return extra


def read_labeled_pages(path: str | Path, errors: list[InputError] | None = None) -> Iterator[Page]:
    """Yield the labeled pages of a JSONL(.gz) file.

    A malformed record raises InputError, unless ``errors`` is given: then it is appended
    there and the good records are still yielded.
    """
    path = Path(path)
    try:
        handle = open_bytes(path)
    except OSError as error:
        raise InputError(path, f"cannot open ({error.strerror or error})") from None
    with handle:
        yield from pages_of_jsonl(handle, str(path), page_from_labeled_record, errors)


def pages_of_jsonl(
    lines: Iterable[bytes | str], name: str, to_page: Callable[[dict, Location], Page],
    errors: list[InputError] | None = None,
) -> Iterator[Page]:
    """Pages from the lines of a JSONL stream (bytes, which must be UTF-8, or text),
    ``to_page(record, where)`` building each one.

    A bad record raises InputError naming its file and line, or, when ``errors`` is given,
    is reported there while the good records go on. A stream that cannot be read on (a cut
    gzip file) raises InputError after the records before the damage.
    """
    try:
        for line_no, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            where = Location(name, f"line {line_no}")
            record = None
            try:
                record = json.loads(_utf8(raw, where).removeprefix("\ufeff") if line_no == 1 else _utf8(raw, where))
                page = to_page(record, where)
            except json.JSONDecodeError as error:
                problem = InputError(where, f"invalid JSON ({error.msg} at column {error.colno})")
            except InputError as error:
                problem = error
            else:
                yield page
                continue
            problem.record_id = problem.record_id or id_of_record(record)
            if errors is None:
                raise problem
            errors.append(problem)
    except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise InputError(name, f"unreadable ({error})") from None


def _utf8(raw: bytes | str, where: Location) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(where, f"not UTF-8 (byte 0x{raw[error.start]:02x} at byte {error.start + 1}); JSONL is UTF-8") from None


def id_of_record(record) -> str | None:
    """A record's own id (its ``id``, else its ``url``) as a string, for error messages; None
    when it has none or is not a dict. Bytes (a Parquet value that is not UTF-8) are decoded
    with replacement characters."""
    if not isinstance(record, dict):
        return None
    value = record.get("id") if record.get("id") is not None else record.get("url")
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return None if value is None else str(value)


def labeled_record(page: Page) -> dict:
    """The JSON-ready labeled record of a page."""
    record = {"id": page.page_id, "lines": page.lines, "labels": page.labels}
    for name in OPTIONAL_FIELDS:
        value = getattr(page, name)
        if value is not None:
            record[name] = value
    if page.structure is not None:
        record[STRUCTURE] = page.structure.to_json()
    if SCORED in page.extra:
        record[SCORED] = page.extra[SCORED]
    if page.extra.get(LABELED_BY_HAND):
        record[LABELED_BY_HAND] = True
    return record


def _structure_of(data, where: Location) -> LineStructure | None:
    if data is None:
        return None
    try:
        return LineStructure.from_json(data)
    except (TypeError, ValueError, KeyError) as error:
        raise InputError(where, f"'{STRUCTURE}' is not a line structure ({error})") from None


def scored_mask(page: Page) -> list[bool]:
    """Per line: does its label count for training and scoring? (non-blank, and in
    ``scored`` on a partially labeled page)."""
    labels = page.labels or [None] * len(page.lines)
    scored = page.extra.get(SCORED)
    allowed = set(scored) if scored is not None else None
    return [label is not None and (allowed is None or i in allowed) for i, label in enumerate(labels)]


def write_labeled_pages(pages: Iterable[Page], path: str | Path) -> int:
    """Write pages as labeled JSONL (gzip when the name ends in .gz), atomically."""
    path = Path(path)
    count = 0
    with atomic_output(path) as tmp:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(tmp, "wt", encoding="utf-8") as out:
            for page in pages:
                out.write(json.dumps(labeled_record(page), ensure_ascii=False) + "\n")
                count += 1
    return count
