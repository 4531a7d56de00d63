"""The labeled-page interchange format: JSONL (optionally gzip), one page per line.

``{"id", "lines": [str], "labels": ["content"|"chrome"|null]}`` with null exactly on blank
lines; optional ``link_chars``, ``lang``, ``site``, ``url``, ``dataset``, ``kind``, and ``scored``.

``scored`` (indices of lines) marks a partially labeled page: only those lines' labels are
trusted, the other non-blank lines carry a provisional ``chrome`` and only give context.
Pages from partial golds (trafilatura's must-include/must-exclude snippets) use it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from classifier.atomic import atomic_output
from classifier.page import Page

OPTIONAL_FIELDS = ("link_chars", "lang", "site", "url", "dataset", "kind")
SCORED = "scored"
# Page.extra flag: a person labeled the lines (hand-labeled gold, a corrected annotation
# file), as opposed to labels derived by aligning the page with a gold text.
LABELED_BY_HAND = "labeled_by_hand"


class InputError(ValueError):
    """Bad input: the message names the file and the problem, in one line."""


def open_text(path: Path):
    """Open a text file for reading, transparently un-gzipping ``*.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def record_page_id(record: dict, where: str) -> str:
    """The id of a labeled record's page: its ``id``, else ``where`` it was read."""
    return str(record.get("id", where))


def page_from_labeled_record(record: dict, where: str) -> Page:
    """Build a Page from one labeled record; raise InputError naming ``where`` if malformed."""
    if not isinstance(record, dict) or not isinstance(record.get("lines"), list):
        raise InputError(f"{where}: record has no 'lines' list")
    if not isinstance(record.get("labels"), list):
        raise InputError(f"{where}: record has no 'labels' list")
    scored = record.get(SCORED)
    if scored is not None and not (isinstance(scored, list) and all(isinstance(i, int) for i in scored)):
        raise InputError(f"{where}: '{SCORED}' must be a list of line indices")
    try:
        return Page(
            page_id=record_page_id(record, where),
            lines=[str(line) for line in record["lines"]],
            labels=record["labels"],
            link_chars=record.get("link_chars"),
            site=record.get("site") or None,
            url=record.get("url") or None,
            lang=record.get("lang") or None,
            dataset=record.get("dataset") or None,
            kind=record.get("kind") or None,
            extra={SCORED: scored} if scored is not None else {},
        )
    except ValueError as error:
        raise InputError(f"{where}: {error}") from None


def read_labeled_pages(path: str | Path, errors: list[str] | None = None) -> Iterator[Page]:
    """Yield the labeled pages of a JSONL(.gz) file.

    A malformed record raises InputError, unless ``errors`` is given: then its one-line
    message is appended there and the good records are still yielded.
    """
    path = Path(path)
    try:
        handle = open_text(path)
    except OSError as error:
        raise InputError(f"{path}: cannot open ({error.strerror or error})") from None
    with handle:
        yield from pages_of_jsonl(handle, str(path), page_from_labeled_record, errors)


def pages_of_jsonl(
    handle: Iterable[str], name: str, to_page: Callable[[dict, str], Page], errors: list[str] | None = None
) -> Iterator[Page]:
    """Pages from a JSONL stream, ``to_page(record, "name:line")`` building each one.

    A bad record raises InputError naming its file and line, or, when ``errors`` is given,
    is reported there while the good records go on.
    """
    try:
        for line_no, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"{name}:{line_no}"
            try:
                try:
                    record = json.loads(raw)
                except json.JSONDecodeError as error:
                    raise InputError(f"{where}: invalid JSON ({error.msg})") from None
                page = to_page(record, where)
            except InputError as problem:
                if errors is None:
                    raise
                errors.append(str(problem))
                continue
            yield page
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise InputError(f"{name}: unreadable ({error})") from None


def labeled_record(page: Page) -> dict:
    """The JSON-ready labeled record of a page."""
    record = {"id": page.page_id, "lines": page.lines, "labels": page.labels}
    for name in OPTIONAL_FIELDS:
        value = getattr(page, name)
        if value is not None:
            record[name] = value
    if SCORED in page.extra:
        record[SCORED] = page.extra[SCORED]
    return record


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
