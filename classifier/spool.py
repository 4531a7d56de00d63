"""Pages kept on disk between the two passes over one stream of input.

The first pass (site counts) reads every page; without a spool the second pass would read
the input again, and for HTML reading is mostly rendering. The spool holds the pages as the
first pass saw them (lines, link counts, structure, ids, notes) in blocks, each a batch of
pages pickled and compressed (``pack``), in an unnamed temporary file, and gives the blocks
back in order. A block is packed where its pages were rendered (a worker process) and sent
to the process that classifies it as it is, so the reading process only copies bytes. It
takes about the size of the rendered text, compressed, in the temporary folder (``$TMPDIR``);
one file per input (``--output-dir``) needs no spool, as each shard is read again on its own.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO

from zlib_ng import zlib_ng

from classifier.page import Page

# The fastest level, by zlib-ng: the spool must cost far less than the rendering it saves. On the
# rendered pages of bench/scale.py's WARC (48 MB pickled), 0.13 s to compress and 0.08 s to
# decompress, where zlib took 0.30 s and 0.14 s, for 12.6 MB on disk against 10.0 MB.
COMPRESSION_LEVEL = 1
_LENGTH_BYTES = 8


def pack(pages: Sequence[Page]) -> bytes:
    """Pages as one block of bytes (``unpack`` gives them back)."""
    return zlib_ng.compress(pickle.dumps(list(pages), protocol=pickle.HIGHEST_PROTOCOL), COMPRESSION_LEVEL)


def unpack(block: bytes) -> list[Page]:
    """The pages of a block ``pack`` made in this run (the spool's own file: a pickle)."""
    return pickle.loads(zlib_ng.decompress(block))


class PageSpool:
    """Write blocks with ``write``, then read them back in order with ``blocks``."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None  # made by the first write: a run that keeps nothing makes none

    def __enter__(self) -> PageSpool:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._file is not None:
            self._file.close()

    def write(self, block: bytes) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="boilerline-spool-")
        self._file.write(len(block).to_bytes(_LENGTH_BYTES, "little"))
        self._file.write(block)

    def blocks(self) -> Iterator[bytes]:
        """The blocks written, in the order they were written (from the start at each call)."""
        if self._file is None:
            return
        self._file.seek(0)
        while length_bytes := self._file.read(_LENGTH_BYTES):
            yield self._file.read(int.from_bytes(length_bytes, "little"))
