"""Classified pages as text output: JSONL records, the cleaned text, or every line behind a
marker a person can scan; gzip-compressed when asked."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import orjson
from zlib_ng import gzip_ng

from classifier.formats import OutputFormat
from classifier.formats.records import Predictions, annotate, attributes_record, cleaned_text, page_record
from classifier.page import Page

# Separates pages in ``text`` output: a line holding only a form feed, which never occurs
# in rendered text (the renderer drops control characters).
PAGE_SEPARATOR = "\f"
# ``.gz`` outputs are compressed by zlib-ng (gzip_ng), twice as fast as zlib at a level. Level 3:
# on the JSONL output of bench/scale.py's 200k lines from HTML (24.2 MB), 0.16 s for 6.55 MB,
# where level 6 (zlib's default) takes 0.27 s for 6.26 MB (4.6% smaller), level 1 0.10 s for
# 9.09 MB and level 2 0.15 s for 7.00 MB; the output is read far less often than written.
GZIP_LEVEL = 3


@contextmanager
def text_output(path: Path, *, compress: bool) -> Iterator[TextIO]:
    """A UTF-8 text file, gzip-compressed if asked: with no name and time in the gzip
    header, so that the same pages give the same bytes."""
    with open(path, "wb") as raw:
        packed = gzip_ng.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0) if compress else raw
        with io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as out:
            yield out


def page_text(page: Page, predictions: Predictions, output_format: OutputFormat, *, first: bool) -> str:
    """The output of one page in a text format; ``first``: whether it opens the output (the
    ``text`` format separates a page from the one before it)."""
    if output_format == OutputFormat.jsonl:
        return _json_line(page_record(page, predictions))
    if output_format == OutputFormat.attributes:
        return _json_line(attributes_record(page, predictions))
    if output_format == OutputFormat.text:
        text = cleaned_text(page.lines, [label for label, _ in predictions])
        return ("" if first else PAGE_SEPARATOR + "\n") + (text + "\n" if text else "")
    if output_format == OutputFormat.annotated:
        marked = "".join(annotate(line, label, p_content) + "\n" for line, (label, p_content) in zip(page.lines, predictions))
        return f"### {page.page_id}\n" + marked
    raise ValueError(f"{output_format.value} output is not text")


def _json_line(record: dict) -> str:
    """``record`` as one line of compact JSON, non-ASCII characters as they are: orjson, which
    took 0.04 s for the 1,014 records of bench/scale.py's corpus where ``json.dumps`` took 0.24 s."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE).decode("utf-8")


def encoded_text(text: str, *, compress: bool) -> bytes:
    """``text`` as UTF-8 bytes, as one gzip member when ``compress`` (no name and time in its
    header, as ``text_output``). Members appended one after another are one ``.gz`` file to
    every reader (gzip, zcat, Python's ``gzip``)."""
    data = text.encode("utf-8")
    return gzip_ng.compress(data, GZIP_LEVEL, mtime=0) if compress else data


class TextPageWriter:
    """Pages as ``jsonl``, ``text``, ``annotated`` or ``attributes`` output on a text stream."""

    def __init__(self, out: TextIO, output_format: OutputFormat) -> None:
        if output_format == OutputFormat.parquet:
            raise ValueError("parquet output is not text")
        self.out = out
        self.output_format = output_format
        self.pages = 0

    def write(self, page: Page, predictions: Predictions) -> None:
        self.out.write(page_text(page, predictions, self.output_format, first=not self.pages))
        self.pages += 1
