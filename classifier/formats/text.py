"""Classified pages as text output: JSONL records, the cleaned text, or every line behind a
marker a person can scan; gzip-compressed when asked."""

from __future__ import annotations

import enum
import gzip
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from classifier.formats.records import Predictions, annotate, attributes_record, cleaned_text, page_record
from classifier.page import Page

# Separates pages in ``text`` output: a line holding only a form feed, which never occurs
# in rendered text (the renderer drops control characters).
PAGE_SEPARATOR = "\f"
# zlib's default level for ``.gz`` outputs: Python's default, 9, takes 1.7 times as long for
# a file 1% smaller (measured on JSONL output of the shared data's pages).
GZIP_LEVEL = 6


class OutputFormat(str, enum.Enum):
    jsonl = "jsonl"
    text = "text"
    annotated = "annotated"
    parquet = "parquet"
    attributes = "attributes"


@contextmanager
def text_output(path: Path, *, compress: bool) -> Iterator[TextIO]:
    """A UTF-8 text file, gzip-compressed if asked: with no name and time in the gzip
    header, so that the same pages give the same bytes."""
    with open(path, "wb") as raw:
        packed = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0) if compress else raw
        with io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as out:
            yield out


class TextPageWriter:
    """Pages as ``jsonl``, ``text``, ``annotated`` or ``attributes`` output on a text stream."""

    def __init__(self, out: TextIO, output_format: OutputFormat) -> None:
        if output_format == OutputFormat.parquet:
            raise ValueError("parquet output is not text")
        self.out = out
        self.output_format = output_format
        self.pages = 0

    def write(self, page: Page, predictions: Predictions) -> None:
        if self.output_format == OutputFormat.jsonl:
            self.out.write(json.dumps(page_record(page, predictions), ensure_ascii=False) + "\n")
        elif self.output_format == OutputFormat.attributes:
            self.out.write(json.dumps(attributes_record(page, predictions), ensure_ascii=False) + "\n")
        elif self.output_format == OutputFormat.text:
            if self.pages:
                self.out.write(PAGE_SEPARATOR + "\n")
            text = cleaned_text(page.lines, [label for label, _ in predictions])
            self.out.write(text + "\n" if text else "")
        else:
            self.out.write(f"### {page.page_id}\n")
            for line, (label, p_content) in zip(page.lines, predictions):
                self.out.write(annotate(line, label, p_content) + "\n")
        self.pages += 1
