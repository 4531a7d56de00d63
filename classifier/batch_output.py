"""A batch's output, made where the batch is classified, so that the process writing the
output only appends it.

With worker processes, the process that reads the input and writes the output is the one the
workers wait on once every core is busy: before, encoding the JSON and compressing it there
took about a quarter of a 2-worker run's wall time (200k lines, ``bench/scale.py``). So each
batch's output is encoded in the process that classified it: text formats as bytes (one gzip
member per batch when compressed), Parquet as its rows; its summary and the notes on how its
pages were read come with it, and the pages themselves need not come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from classifier.formats import OutputFormat
from classifier.formats.records import ENCODING, Predictions
from classifier.formats.text import encoded_text, page_text
from classifier.limits import Limits
from classifier.page import Page
from classifier.summary import Summary


@dataclass
class EncodedBatch:
    """``output``: what ``classifier.io.batch_writer`` appends; ``summary``: the batch's
    pages, lines and content lines; ``notes``: ``reading_notes`` of its pages, in order."""

    output: bytes | list[dict]
    summary: Summary
    notes: list[str]


@dataclass(frozen=True)
class BatchEncoding:
    """How batches are encoded for one output: its format, whether it is compressed (a
    ``.gz`` file name), and the limits the pages were read with (named in the notes)."""

    output_format: OutputFormat
    compress: bool = False
    limits: Limits = Limits()

    @classmethod
    def for_output(cls, path: Path | None, output_format: OutputFormat, limits: Limits) -> BatchEncoding:
        return cls(output_format, path is not None and path.name.endswith(".gz"), limits)

    def encode(self, number: int, pages: list[Page], predictions: list[Predictions]) -> EncodedBatch:
        """The output of batch ``number`` (counted from 0) of the stream: batch 0 opens it."""
        summary = Summary()
        for page, page_predictions in zip(pages, predictions):
            summary.add(page, page_predictions)
        notes = [note for page in pages for note in reading_notes(page, self.limits)]
        if self.output_format == OutputFormat.parquet:
            from classifier.formats.parquet import page_row

            return EncodedBatch([page_row(page, page_predictions) for page, page_predictions in zip(pages, predictions)], summary, notes)
        text = "".join(
            page_text(page, page_predictions, self.output_format, first=number == 0 and i == 0)
            for i, (page, page_predictions) in enumerate(zip(pages, predictions))
        )
        return EncodedBatch(encoded_text(text, compress=self.compress), summary, notes)


def reading_notes(page: Page, limits: Limits) -> list[str]:
    """Notes for the user on how ``page`` was read: not as UTF-8, or truncated by ``limits``."""
    notes = []
    if ENCODING in page.extra:
        notes.append(f"note: {page.page_id}: not UTF-8, read as {page.extra[ENCODING]}")
    truncated = limits.describe(page)
    if truncated:
        notes.append(f"note: {page.page_id}: truncated: {truncated}")
    return notes
