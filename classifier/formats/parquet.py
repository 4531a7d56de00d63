"""Parquet files of pages, in and out, a bounded number of rows in memory at a time.

In: one page per row, its text in a string column (``text`` unless told otherwise), with the
``id`` and ``url`` columns kept when the file has them. Out: one row per classified page,
``id``, ``url``, ``encoding``, ``truncated`` (``classifier.limits``) and ``lines``, a list
of ``{text, label, p_content}``: the fields of the JSONL output, in the same order, with the
same values.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from classifier.formats.records import Predictions, host_of, page_record, text_page
from classifier.labeled import InputError, Location, id_of_record
from classifier.page import Page

# Rows read at a time: with pages of up to a few tens of KB of text, a few MB to hold.
READ_BATCH_ROWS = 256
# Pages buffered per row group written: a row group is the unit readers load, and what this
# writer holds in memory (pyarrow's own default, 1M rows, would hold a whole shard).
PAGES_PER_ROW_GROUP = 1000

LINE_TYPE = pa.struct([("text", pa.string()), ("label", pa.string()), ("p_content", pa.float64())])
OUTPUT_SCHEMA = pa.schema([
    pa.field("id", pa.string(), nullable=False),
    pa.field("url", pa.string()),
    pa.field("encoding", pa.string()),
    pa.field("truncated", pa.struct([("lines_dropped", pa.int64()), ("lines_cut", pa.int64())])),
    pa.field("lines", pa.list_(LINE_TYPE), nullable=False),
])
# The columns a page is read from, besides the text.
KEPT_COLUMNS = ("id", "url")


def read_parquet_pages(path: Path, text_field: str = "text", errors: list[InputError] | None = None) -> Iterator[Page]:
    """The pages of a Parquet file, one per row. A file without a string ``text_field``
    column raises InputError; a row whose text is null raises it too, or, when ``errors``
    is given, is reported there (as ``file:row N``, N counted from 0) while the other rows go on."""
    try:
        parquet = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as error:
        raise InputError(path, f"not a readable Parquet file ({error})") from None
    schema = parquet.schema_arrow
    if text_field not in schema.names:
        raise InputError(path, f"no '{text_field}' column (columns: {', '.join(schema.names)})")
    if not _is_string(schema.field(text_field).type):
        raise InputError(path, f"column '{text_field}' holds {schema.field(text_field).type}, not strings")
    columns = [text_field, *(name for name in KEPT_COLUMNS if name in schema.names and name != text_field)]
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=READ_BATCH_ROWS, columns=columns):
            for record in _rows(batch):
                where = Location(str(path), f"row {row}")
                row += 1
                try:
                    page = _page_of_row(record, where, text_field)
                except InputError as problem:
                    if errors is None:
                        raise
                    problem.record_id = id_of_record(record)
                    errors.append(problem)
                    continue
                yield page
    except (OSError, pa.ArrowException) as error:
        raise InputError(path, f"unreadable after row {row} ({error})") from None


def _rows(batch: pa.RecordBatch) -> Iterator[dict]:
    """The batch's rows as dicts, its strings decoded row by row: Parquet writers do not all
    check that strings are UTF-8, and one bad value must not cost the other rows of the
    batch (``to_pylist`` raises for the whole batch). A value that is not UTF-8 is left as
    bytes, which ``_page_of_row`` rejects."""
    columns = {name: _values(column) for name, column in zip(batch.schema.names, batch.columns)}
    for i in range(batch.num_rows):
        yield {name: values[i] for name, values in columns.items()}


def _values(column: pa.Array) -> list:
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column.to_pylist()
    return [_utf8_or_bytes(value) for value in column.cast(pa.large_binary()).to_pylist()]


def _utf8_or_bytes(value: bytes | None) -> str | bytes | None:
    try:
        return value.decode("utf-8") if value is not None else None
    except UnicodeDecodeError:
        return value


def _is_string(column_type: pa.DataType) -> bool:
    """Strings, or a dictionary of them (what a pandas categorical column becomes)."""
    if pa.types.is_dictionary(column_type):
        return _is_string(column_type.value_type)
    return pa.types.is_string(column_type) or pa.types.is_large_string(column_type)


def _page_of_row(record: dict, where: Location, text_field: str) -> Page:
    text = record[text_field]
    if text is None:
        raise InputError(where, f"'{text_field}' is null")
    if isinstance(text, bytes):
        raise InputError(where, f"'{text_field}' is not valid UTF-8")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    return text_page(id_of_record(record) or str(where), text, site=host_of(url), url=url)


def page_row(page: Page, predictions: Predictions) -> dict:
    """The output row of a classified page: its ``page_record``'s fields of OUTPUT_SCHEMA."""
    record = page_record(page, predictions)
    return {name: record.get(name) for name in OUTPUT_SCHEMA.names}


class ParquetPageWriter:
    """Writes classified pages (or their ``page_row``s) as rows of OUTPUT_SCHEMA, a row group
    every PAGES_PER_ROW_GROUP pages."""

    def __init__(self, path: Path) -> None:
        self._writer = pq.ParquetWriter(path, OUTPUT_SCHEMA)
        self._rows: list[dict] = []
        self.pages = 0

    def write(self, page: Page, predictions: Predictions) -> None:
        self.write_rows([page_row(page, predictions)])

    def write_rows(self, rows: list[dict]) -> None:
        self._rows.extend(rows)
        self.pages += len(rows)
        if len(self._rows) >= PAGES_PER_ROW_GROUP:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._writer.close()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=OUTPUT_SCHEMA))
            self._rows = []
