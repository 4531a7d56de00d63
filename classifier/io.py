"""Reading pages to classify, and writing what the model says about them.

Inputs: plain-text files (one page each), folders of them, ``-`` for stdin, JSONL files
(one page per record: a ``text`` field or a ``lines`` list), HTML files, WARC and WET
files and Parquet files (``classifier.formats``); all but single text and HTML files are
read a record at a time. Text and HTML files need not be UTF-8:
``classifier.encoding`` finds their encoding, and a page read in another one says so in
``page.extra["encoding"]``. Output formats (``page_writer``): ``jsonl`` (per-line labels
and scores), ``text`` (the cleaned page), ``annotated`` (every line behind a marker a
person can scan), each gzip-compressed when the file name ends in ``.gz``, and
``parquet`` (a row per page).
"""

from __future__ import annotations

import gzip
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Protocol, TextIO

from classifier.atomic import atomic_output
from classifier.encoding import decode
from classifier.formats import InputFormat, OutputFormat
from classifier.formats.records import Predictions, host_of, line_break_note, split_lines, text_page, with_encoding
from classifier.formats.text import TextPageWriter, encoded_text, text_output
from classifier.html import render_html
from classifier.labeled import InputError, Location, open_bytes, pages_of_jsonl
from classifier.limits import Limits
from classifier.page import Page
from classifier.sniff import not_a_page
from classifier.text import without_surrogates
from classifier.unrendered import UnrenderedPage

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# ``.warc.wet.gz`` (Common Crawl's WET files) ends in ``.wet.gz``.
WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")
PARQUET_SUFFIXES = (".parquet",)


def read_pages(
    inputs: Iterable[str], *, input_format: InputFormat = InputFormat.auto, text_field: str = "text",
    errors: list[InputError] | None = None, stdin: TextIO | None = None, skipped: Counter[str] | None = None,
    limits: Limits = Limits(), render: bool = True,
) -> Iterator[Page | UnrenderedPage]:
    """Yield the pages of every input, each within ``limits`` (``classifier.limits``). A bad
    file or record raises InputError, or, when ``errors`` is given, is reported there while
    the good ones go on. ``skipped``, when given, counts the WARC records that are not
    pages, by kind (``request``, ``response image/png``, ...). With ``render=False`` the
    HTML of WARC responses comes unrendered (``classifier.unrendered``), for the process
    that classifies it to render."""
    for item in _pages_of_inputs(inputs, input_format, text_field, errors, stdin, skipped):
        if isinstance(item, UnrenderedPage):
            item = replace(item, limits=limits)
            yield item.render() if render else item
        else:
            yield limits.apply(item)


def _pages_of_inputs(
    inputs: Iterable[str], input_format: InputFormat, text_field: str, errors: list[InputError] | None,
    stdin: TextIO | None, skipped: Counter[str] | None,
) -> Iterator[Page | UnrenderedPage]:
    for name in inputs:
        try:
            if name == "-":
                yield from _read_stream(stdin or sys.stdin, "<stdin>", input_format, text_field, errors, skipped)
                continue
            for file in _files_of(Path(name)):
                try:
                    yield from _read_file(file, input_format, text_field, errors, skipped)
                except InputError as problem:
                    if errors is None:
                        raise
                    errors.append(problem)
        except InputError as problem:
            if errors is None:
                raise
            errors.append(problem)


def input_files(inputs: Iterable[str]) -> list[Path]:
    """The files ``read_pages`` reads for ``inputs`` (folders expanded), in its order; a
    missing input raises InputError."""
    return [file for name in inputs for file in _files_of(Path(name))]


def _files_of(path: Path) -> list[Path]:
    """A file, or a folder's files (not hidden ones) in name order."""
    if not path.exists():
        raise InputError(path, "no such file or folder")
    return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path]


def _format_of(path: Path, input_format: InputFormat) -> InputFormat:
    if input_format != InputFormat.auto:
        return input_format
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return InputFormat.jsonl
    if name.endswith(WARC_SUFFIXES):
        return InputFormat.warc
    if name.endswith(PARQUET_SUFFIXES):
        return InputFormat.parquet
    if name.endswith(HTML_SUFFIXES) or name.endswith(tuple(s + ".gz" for s in HTML_SUFFIXES)):
        return InputFormat.html
    return InputFormat.text


def _read_file(
    path: Path, input_format: InputFormat, text_field: str, errors: list[InputError] | None, skipped: Counter[str] | None,
) -> Iterator[Page | UnrenderedPage]:
    kind = _format_of(path, input_format)
    # The WARC and Parquet readers are imported when needed: pyarrow takes a while to import.
    if kind == InputFormat.warc:
        from classifier.formats.warc import read_warc_pages

        yield from read_warc_pages(path, errors, skipped)
        return
    if kind == InputFormat.parquet:
        from classifier.formats.parquet import read_parquet_pages

        yield from read_parquet_pages(path, text_field, errors)
        return
    if kind == InputFormat.jsonl:
        try:
            handle = open_bytes(path)
        except OSError as error:
            raise InputError(path, f"cannot open ({error.strerror or error})") from None
        with handle:
            yield from pages_of_jsonl(handle, str(path), partial(page_from_record, text_field=text_field), errors)
        return
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise InputError(path, f"cannot read ({getattr(error, 'strerror', None) or error})") from None
    yield page_of_bytes(data, str(path), html=kind == InputFormat.html)


def page_of_bytes(data: bytes, name: str, *, html: bool) -> Page:
    """The page of a whole text or HTML file, in the encoding ``classifier.encoding`` finds
    (named in ``page.extra[ENCODING]`` when not UTF-8); InputError for an image, an archive
    or other binary data."""
    text, encoding = decode(data, html=html)
    kind = not_a_page(data, text)
    if kind is not None:
        raise InputError(name, f"looks like {kind}, not a text or HTML page")
    return with_encoding(Page(name, *render_html(text)) if html else text_page(name, text), encoding)


def _read_stream(
    handle: TextIO, name: str, input_format: InputFormat, text_field: str, errors: list[InputError] | None,
    skipped: Counter[str] | None = None,
) -> Iterator[Page | UnrenderedPage]:
    """The pages of a stream (stdin): read as bytes when it has them, so that text and HTML
    are decoded as files are."""
    if input_format == InputFormat.parquet:
        raise InputError(name, "Parquet is read from files only (its index is at the end)")
    if input_format == InputFormat.warc:
        from classifier.formats.warc import pages_of_warc

        if not hasattr(handle, "buffer"):
            raise InputError(name, "WARC input needs a byte stream")
        yield from pages_of_warc(handle.buffer, name, errors, skipped)
        return
    raw = getattr(handle, "buffer", None)
    try:
        if input_format == InputFormat.jsonl:
            yield from pages_of_jsonl(raw or handle, name, partial(page_from_record, text_field=text_field), errors)
            return
        html = input_format == InputFormat.html
        if raw is not None:
            yield page_of_bytes(raw.read(), name, html=html)
        else:
            yield Page(name, *render_html(handle.read())) if html else text_page(name, handle.read())
    except (UnicodeDecodeError, OSError, EOFError) as error:
        raise InputError(name, f"unreadable ({error})") from None


def page_from_record(record: dict, where: Location, text_field: str = "text") -> Page:
    """A page from one JSONL record: its ``lines`` list, else its ``text_field`` string.
    Lone surrogates (from JSON escapes such as "\\ud800") become U+FFFD, as an undecodable
    byte does: no UTF-8 output could hold them."""
    if not isinstance(record, dict):
        raise InputError(where, "record is not a JSON object")
    lines, notes = record.get("lines"), {}
    if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
        lines = [line if line.isascii() else without_surrogates(line) for line in lines]
    elif isinstance(record.get(text_field), str):
        # One pass over the whole text (no line break is a surrogate), not one per line.
        lines, notes = split_lines(without_surrogates(record[text_field])), line_break_note(record[text_field])
    else:
        raise InputError(where, f"record has neither a '{text_field}' string nor a 'lines' list of strings")
    link_chars = record.get("link_chars")
    if link_chars is not None and not (
        isinstance(link_chars, list) and len(link_chars) == len(lines)
        and all(type(n) is int and n >= 0 for n in link_chars)  # bools are ints too
    ):
        raise InputError(where, "'link_chars' must be a list with one count (a whole number, 0 or more) per line")
    page_id = record.get("id") or record.get("url") or where
    url = without_surrogates(record["url"]) if isinstance(record.get("url"), str) else None
    site = record.get("site") if isinstance(record.get("site"), str) else None
    return Page(without_surrogates(str(page_id)), lines, link_chars, site=site or host_of(url), url=url, extra=notes)


class PageWriter(Protocol):
    """Where classified pages go, one at a time; ``pages`` counts those written."""

    pages: int

    def write(self, page: Page, predictions: Predictions) -> None: ...


@contextmanager
def page_writer(path: Path | None, output_format: OutputFormat, stdout: TextIO | None = None) -> Iterator[PageWriter]:
    """A writer of pages in ``output_format`` to ``path``, else to ``stdout`` (default:
    ``sys.stdout``). A file is written atomically: it appears, complete, when the block
    ends without an error, and nothing is left of it otherwise. A ``.gz`` name compresses
    the text formats; Parquet compresses itself, and needs a file."""
    if path is None:
        if output_format == OutputFormat.parquet:
            raise ValueError("parquet output needs a file, not stdout")
        yield TextPageWriter(stdout or sys.stdout, output_format)
        return
    path = Path(path)
    if output_format == OutputFormat.parquet:
        with _parquet_writer(path) as writer:
            yield writer
        return
    with atomic_output(path) as tmp, text_output(tmp, compress=path.name.endswith(".gz")) as out:
        yield TextPageWriter(out, output_format)


@contextmanager
def batch_writer(path: Path | None, output_format: OutputFormat) -> Iterator[Callable[[bytes | list[dict]], None]]:
    """A function that appends the output of one batch (``classifier.batch_output``: bytes of
    a text format, encoded for this ``path``, or Parquet rows) to ``path``, else to stdout's
    bytes; written atomically, as ``page_writer``. A ``.gz`` file that got no batch still
    holds an empty gzip member, as ``page_writer``'s would."""
    if output_format == OutputFormat.parquet:
        if path is None:
            raise ValueError("parquet output needs a file, not stdout")
        with _parquet_writer(Path(path)) as writer:
            yield writer.write_rows
        return
    if path is None:
        sys.stdout.flush()
        yield sys.stdout.buffer.write
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    written = 0

    def write(data: bytes) -> None:
        nonlocal written
        written += len(data)
        out.write(data)

    with atomic_output(path) as tmp, open(tmp, "wb") as out:
        yield write
        if path.name.endswith(".gz") and not written:
            out.write(encoded_text("", compress=True))


@contextmanager
def _parquet_writer(path: Path) -> Iterator:
    if path.name.endswith(".gz"):
        raise ValueError(f"{path}: parquet output is compressed inside; name it without .gz")
    from classifier.formats.parquet import ParquetPageWriter

    with atomic_output(path) as tmp, closing(ParquetPageWriter(tmp)) as writer:
        yield writer
