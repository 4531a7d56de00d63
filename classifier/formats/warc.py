"""WARC and WET files -> pages, one record at a time (FastWARC).

A WET ``conversion`` record (text a crawler extracted) becomes a text page; a WARC
``response`` record with an HTML body becomes an ``UnrenderedPage``, rendered like an HTML
file by whoever classifies it (``classifier.unrendered``). Every other record (warcinfo,
request, metadata, a response that is not HTML) is skipped. A page's id is its WARC-Record-ID, its url the
WARC-Target-URI.

Files may be uncompressed or gzip-compressed (one member per record, as Common Crawl
writes them, or one for the whole file). A file cut short is an error, raised after the
pages of the complete records before the cut: FastWARC itself stops quietly at a cut, so
the reader checks that every record's block is as long as its Content-Length says, that
the gzip stream is complete, and that the file ends where a record ends.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from classifier.encoding import decode
from classifier.formats.records import host_of, text_page, with_encoding
from classifier.labeled import InputError, Location
from classifier.page import Page
from classifier.unrendered import UnrenderedPage

# Media types of responses read as HTML (the HTTP Content-Type without its parameters).
HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Every WARC record ends with two CRLFs after its block (WARC/1.1, section 4).
RECORD_END = b"\r\n\r\n"
GZIP_MAGIC = b"\x1f\x8b"


class _BadRecord(Exception):
    """A record without a Content-Length, or whose block is shorter than it says: the file
    cannot be read past it."""


class _UnreadableRecord(Exception):
    """A record whose HTTP headers cannot be parsed: the records after it can still be read."""


def read_warc_pages(
    path: Path, errors: list[InputError] | None = None, skipped: Counter[str] | None = None,
) -> Iterator[Page | UnrenderedPage]:
    """The pages of a WARC or WET file; see ``pages_of_warc``."""
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise InputError(path, f"cannot open ({error.strerror or error})") from None
    with handle:
        yield from pages_of_warc(handle, str(path), errors, skipped)


def pages_of_warc(
    raw: BinaryIO, name: str, errors: list[InputError] | None = None, skipped: Counter[str] | None = None,
) -> Iterator[Page | UnrenderedPage]:
    """The pages of a WARC/WET byte stream (a file, or stdin), ``name`` naming it in messages:
    text pages of WET records, unrendered pages of HTML responses.

    A cut or corrupt stream raises InputError after the pages before the damage. A record
    whose HTTP headers cannot be parsed raises it too, or, when ``errors`` is given, is
    reported there while the other records go on. ``skipped``, when given, counts the
    records that are not pages by type (responses by media type: ``response image/png``).
    """
    stream = _CheckedStream(_decompressed(raw))
    complete = 0
    try:
        for record in ArchiveIterator(stream, parse_http=False, stream_detect=False):
            try:
                page = _page_of_record(record)
            except _UnreadableRecord as unreadable:
                problem = InputError(Location(name, f"record {complete + 1}"), str(unreadable), record.record_id)
                if errors is None:
                    raise problem from None
                errors.append(problem)
                complete += 1
                continue
            complete += 1
            if page is not None:
                yield page
            elif skipped is not None:
                skipped[_skip_reason(record)] += 1
    except _BadRecord as bad:
        # A cut stream makes a bad last record: the cut is the problem to report.
        problem = stream.problem() or str(bad)
    except OSError as error:
        problem = stream.problem() or f"not a readable WARC file ({error})"
    else:
        problem = stream.problem()
    if problem:
        raise InputError(name, f"{problem}, after {complete} complete record(s)")


def _decompressed(raw: BinaryIO) -> BinaryIO:
    """The stream itself, or, when it starts like gzip, its decompressed bytes. Python's
    gzip reader is used rather than FastWARC's because it raises EOFError at a cut."""
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)
    return gzip.GzipFile(fileobj=buffered, mode="rb") if buffered.peek(len(GZIP_MAGIC)).startswith(GZIP_MAGIC) else buffered


class _CheckedStream:
    """The byte stream FastWARC reads, which notes what is wrong with it instead of raising.

    A read error ends the stream as if it were the end of the file, so that FastWARC still
    yields the complete records it has buffered before the error (it reads ahead). The last
    bytes are kept, to tell whether the stream ended where a record ends.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._position = 0
        self._error: Exception | None = None
        self._tail = b""

    def read(self, size: int = -1) -> bytes:
        if self._error is not None:
            return b""
        try:
            # read1: what is there, without waiting for ``size`` bytes, so that a gzip
            # reader gives the bytes before a cut before it raises EOFError at the cut.
            data = self._stream.read1(size)
        except (EOFError, OSError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
            self._error = error
            return b""
        self._position += len(data)
        self._tail = (self._tail + data)[-len(RECORD_END):]
        return data

    def tell(self) -> int:
        return self._position

    def problem(self) -> str | None:
        """What is wrong with the stream read so far, in a few words; None if nothing."""
        if isinstance(self._error, EOFError):
            return "truncated: the gzip stream ends inside a record"
        if self._error is not None:
            return f"not readable as gzip ({self._error})"
        if self._tail and not self._tail.endswith(RECORD_END):
            return "truncated: the file ends inside a record"
        return None


def _page_of_record(record: WarcRecord) -> Page | UnrenderedPage | None:
    """The page of a WET conversion or HTML response record, else None; the record's block is
    read to its end either way, to notice a cut."""
    if not (record.headers.get("Content-Length") or "").strip().isdigit():
        raise _BadRecord(f"record {record.record_id} has no valid Content-Length header")
    record_type = record.record_type
    if record_type == WarcRecordType.response:
        try:
            record.parse_http()
        except OSError as error:
            raise _UnreadableRecord(f"unreadable HTTP headers ({error})") from None
        if (record.http_content_type or "").lower() in HTML_MEDIA_TYPES:
            url = _target_uri(record)
            return UnrenderedPage(str(record.record_id), _read_block(record), url, host_of(url))
    elif record_type == WarcRecordType.conversion:
        text, encoding = decode(_read_block(record))
        url = _target_uri(record)
        return with_encoding(text_page(str(record.record_id), text, site=host_of(url), url=url), encoding)
    expected = record.content_length
    _check_complete(record, expected, record.reader.consume())
    return None


def _read_block(record: WarcRecord) -> bytes:
    """The rest of the record's block (after the HTTP headers of a response)."""
    expected = record.content_length
    data = record.reader.read()
    _check_complete(record, expected, len(data))
    return data


def _check_complete(record: WarcRecord, expected: int, n_read: int) -> None:
    if n_read < expected:
        raise _BadRecord(f"truncated: record {record.record_id} is cut short")


def _target_uri(record: WarcRecord) -> str | None:
    return record.headers.get("WARC-Target-URI") or None


def _skip_reason(record: WarcRecord) -> str:
    kind = record.headers.get("WARC-Type") or "record without a WARC-Type"
    if record.record_type == WarcRecordType.response:
        return f"{kind} {record.http_content_type or 'without a media type'}"
    return kind
