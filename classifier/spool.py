"""Pages kept between the two passes over one stream of input.

The first pass (site counts) reads every page; without a spool the second pass would read
the input again, and for HTML reading is mostly rendering. The spool holds the pages as the
first pass saw them (lines, link counts, structure, ids, notes), batch by batch, and gives
the batches back in order.

Where both passes run in one process, the first batches are held as they are, in memory, up
to ``HELD_BYTES``: packing and unpacking them would cost about a twentieth of the run. The
rest, and every batch rendered by a worker process, is a block: a batch pickled and
compressed (``pack``) in an unnamed temporary file. A block is packed where its pages were
rendered and sent to the process that classifies it as it is, so the reading process only
copies bytes; a held batch goes to that process as its pages (``spooled``), so the reading
process, whose work no worker shares, never packs a batch while the memory lasts. The file
takes less than the size of the rendered text, in the temporary folder (``$TMPDIR``); one
file per input (``--output-dir``) needs no spool, as each shard is read again on its own.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import IO

from classifier.page import Page

# Blocks are compressed by Zstandard at level 1, through pyarrow (a dependency for Parquet): the
# spool must cost far less than the rendering it saves. On the rendered pages of bench/scale.py's
# WARC (50.5 MB pickled): 0.066 s to compress and 0.039 s to decompress, 8.5 MB; zlib-ng at its
# fastest level, used before, took 0.113 s and 0.077 s for 12.7 MB.
CODEC = "zstd"
COMPRESSION_LEVEL = 1
_LENGTH_BYTES = 8

# Memory for batches held as they are (``PageSpool.keep``), in bytes as ``held_size`` counts
# them: bench/scale.py's 200k-line corpus is held whole, a corpus of a million lines about a
# third of it.
HELD_BYTES = 128 * 2**20
# What a held line costs beside its characters: its string's header, its place in the page's
# lists and its structure. 300 pages of bench/scale.py's WARC, rendered, take 23.2 MB for
# 58,072 lines of 3.45M characters (tracemalloc): 340 bytes a line and one a character.
HELD_BYTES_PER_LINE = 340


def pack(pages: Sequence[Page]) -> bytes:
    """Pages as one block of bytes (``unpack`` gives them back): the pickle's length, then the
    pickle compressed."""
    pickled = pickle.dumps(list(pages), protocol=pickle.HIGHEST_PROTOCOL)
    return len(pickled).to_bytes(_LENGTH_BYTES, "little") + _codec().compress(pickled, asbytes=True)


def unpack(block: bytes) -> list[Page]:
    """The pages of a block ``pack`` made in this run (the spool's own file: a pickle)."""
    size = int.from_bytes(block[:_LENGTH_BYTES], "little")
    return pickle.loads(_codec().decompress(memoryview(block)[_LENGTH_BYTES:], decompressed_size=size))


@lru_cache(maxsize=1)
def _codec():
    import pyarrow  # here, not at the top: a run whose batches are all held never packs (28 ms)

    return pyarrow.Codec(CODEC, compression_level=COMPRESSION_LEVEL)


def pages_of(batch: list[Page] | bytes) -> list[Page]:
    """The pages of a batch as ``PageSpool.spooled`` gives it: held pages, or a packed block."""
    return unpack(batch) if isinstance(batch, bytes) else batch


def held_size(pages: Sequence[Page]) -> int:
    """About the bytes of memory ``pages`` take (characters of non-ASCII lines take more)."""
    return sum(HELD_BYTES_PER_LINE * len(page.lines) + sum(map(len, page.lines)) for page in pages)


class PageSpool:
    """Add batches with ``keep`` (pages), ``write`` (packed blocks) or ``add`` (either), then
    read them back in order, as pages with ``batches`` or as they are held with ``spooled``."""

    def __init__(self, held_bytes: int = HELD_BYTES) -> None:
        self._file: IO[bytes] | None = None  # made by the first write: a run that keeps nothing makes none
        # Each batch in order: its pages when held, None when it is the file's next block.
        self._batches: list[list[Page] | None] = []
        self._held_bytes_left = held_bytes

    def __enter__(self) -> PageSpool:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._file is not None:
            self._file.close()

    def keep(self, pages: list[Page]) -> None:
        """Add a batch: held as it is while the memory lasts, else packed and written."""
        size = held_size(pages)
        if size <= self._held_bytes_left:
            self._held_bytes_left -= size
            self._batches.append(pages)
        else:
            self.write(pack(pages))

    def write(self, block: bytes) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="boilerline-spool-")
        self._file.write(len(block).to_bytes(_LENGTH_BYTES, "little"))
        self._file.write(block)
        self._batches.append(None)

    def add(self, batch: list[Page] | bytes) -> None:
        """Add a batch as ``spooled`` gives it back: pages are kept, a packed block written."""
        if isinstance(batch, bytes):
            self.write(batch)
        else:
            self.keep(batch)

    def batches(self) -> Iterator[list[Page]]:
        """The batches added, as pages, in order (from the start at each call)."""
        for batch in self.spooled():
            yield pages_of(batch)

    def spooled(self) -> Iterator[list[Page] | bytes]:
        """The batches added, in order (from the start at each call): a held batch as its
        pages, a written one as its packed block, for the process that classifies it to unpack."""
        if self._file is not None:
            self._file.seek(0)
        for held in self._batches:
            if held is not None:
                yield held
            else:
                length = int.from_bytes(self._file.read(_LENGTH_BYTES), "little")
                yield self._file.read(length)
