"""Pages kept on disk between the two passes over one stream of input.

The first pass (site counts) reads every page; without a spool the second pass would read
the input again, and for HTML reading is mostly rendering, as costly as classifying. The
spool holds each page as the first pass saw it (lines, link counts, ids, notes) in an
unnamed temporary file, compressed, and gives the pages back in order. It takes about the
size of the rendered text, compressed, in the temporary folder (``$TMPDIR``); one file per
input (``--output-dir``) needs no spool, as each shard is read again on its own.
"""

from __future__ import annotations

import pickle
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from typing import IO

from classifier.page import Page

# Pages pickled and compressed together: enough text for zlib to find repetition, few
# enough that a block is small in memory.
PAGES_PER_BLOCK = 64
# zlib's fastest level: the spool must cost far less than the rendering it saves.
COMPRESSION_LEVEL = 1
_LENGTH_BYTES = 8


class PageSpool:
    """Write pages with ``keep`` (a pass-through generator), then read them with ``pages``."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None  # made by the first write: a run that keeps nothing makes none

    def __enter__(self) -> PageSpool:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._file is not None:
            self._file.close()

    def keep(self, pages: Iterable[Page]) -> Iterator[Page]:
        """Each page of ``pages``, written to the spool as it passes."""
        block: list[Page] = []
        for page in pages:
            block.append(page)
            if len(block) >= PAGES_PER_BLOCK:
                self._write(block)
                block = []
            yield page
        if block:
            self._write(block)

    def pages(self) -> Iterator[Page]:
        """The kept pages, in the order they were kept."""
        if self._file is None:
            return
        self._file.seek(0)
        while length_bytes := self._file.read(_LENGTH_BYTES):
            block = zlib.decompress(self._file.read(int.from_bytes(length_bytes, "little")))
            yield from pickle.loads(block)

    def _write(self, block: list[Page]) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="boilerline-spool-")
        data = zlib.compress(pickle.dumps(block, protocol=pickle.HIGHEST_PROTOCOL), COMPRESSION_LEVEL)
        self._file.write(len(data).to_bytes(_LENGTH_BYTES, "little"))
        self._file.write(data)
