"""The file formats pages come in and go out as, one module each.

``records`` holds what every format shares (lines of a text, a URL's host, the output record
of a classified page); ``text`` writes JSONL, cleaned text and annotated output; ``warc``
reads WARC and WET files; ``parquet`` reads and writes Parquet. They import ``records`` and
nothing above it: ``classifier.io`` chooses among them by file name and format.

The names of the formats (``InputFormat``, ``OutputFormat``) live here, with nothing else, so
that the command line can name them without importing the readers and writers.
"""

import enum


class InputFormat(str, enum.Enum):
    """How to read inputs (``classifier.io.read_pages``); auto goes by file extension."""

    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    html = "html"
    warc = "warc"
    parquet = "parquet"


class OutputFormat(str, enum.Enum):
    """What to write of classified pages (``classifier.io.page_writer``)."""

    jsonl = "jsonl"
    text = "text"
    annotated = "annotated"
    parquet = "parquet"
    attributes = "attributes"
